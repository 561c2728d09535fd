import { fileURLToPath } from "node:url";
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

export default defineConfig(async () => ({
  plugins: [
    cloudflareTest({
      wrangler: { configPath: "./wrangler.toml" },
      miniflare: {
        bindings: {
          PLATFORM_API_KEY: "test-platform-key-0123456789",
          API_HOSTS: "switchboard.test",
          SECRET_KEY: "test-secret-key-0123456789abcdef0123456789",
          PUBLIC_BASE_URL: "http://switchboard.test",
          // Retries come at once and attempts time out fast, so delivery tests run in seconds.
          WEBHOOK_RETRY_DELAYS: "0,0,0,0,0,0,0,0,0,0",
          WEBHOOK_TIMEOUT_MS: "1000",
          TEST_MIGRATIONS: await readD1Migrations(fileURLToPath(new URL("./migrations", import.meta.url))),
        },
      },
    }),
  ],
  test: {
    include: ["test/**/*.test.ts"],
    setupFiles: ["./test/setup.ts"],
    testTimeout: 20_000,
  },
}));
