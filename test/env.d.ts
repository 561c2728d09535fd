import type { D1Migration } from "@cloudflare/vitest-plugin";

declare global {
  namespace Cloudflare {
    interface Env {
      TEST_MIGRATIONS: D1Migration[];
      PLATFORM_API_KEY: string;
      SECRET_KEY: string;
    }
  }
}
