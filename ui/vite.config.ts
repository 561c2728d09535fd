import { defineConfig } from "vite";

/**
 * The web inbox: Preact through Vite's own JSX transform (oxc), no framework plugin.
 * Built into ui/dist, which wrangler.toml serves as Workers Static Assets.
 */
export default defineConfig({
  oxc: { jsx: { runtime: "automatic", importSource: "preact" } },
  build: { outDir: "dist", emptyOutDir: true, target: "es2022", sourcemap: true },
  server: { proxy: { "/api": "http://127.0.0.1:8787", "/ws": { target: "ws://127.0.0.1:8787", ws: true } } },
});
