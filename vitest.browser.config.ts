import { defineConfig } from "vitest/config";

/**
 * The browser tests (`test/browser/*.spec.ts`): Node drives Debian's Chromium through
 * playwright-core against `npm start`'s Worker under `wrangler dev` (started once, on a free
 * port, with an empty state directory). One file at a time: they share that one Worker.
 */
export default defineConfig({
  test: {
    include: ["test/browser/**/*.spec.ts"],
    environment: "node",
    globalSetup: ["./test/browser/global-setup.ts"],
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 180_000,
  },
});
