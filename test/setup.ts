import { applyD1Migrations } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterAll, afterEach, beforeAll } from "vitest";
import { upstream } from "./helpers/upstream";

// Storage is per test file; migrations are idempotent, so every file starts from the real schema,
// in the directory and in both shards (wrangler.toml).
for (const d1 of [env.DB, env.SHARD_1, env.SHARD_2]) await applyD1Migrations(d1, env.TEST_MIGRATIONS);

beforeAll(() => upstream.listen({ onUnhandledRequest: "error" }));
afterEach(() => upstream.resetHandlers());
afterAll(() => upstream.close());
