import { z } from "zod";
import { d1Binding } from "./db/client";

/** Configuration that is not a binding, parsed once per isolate from `env`. */
const ConfigSchema = z.object({
  /** Bearer key of the platform API; the platform API is closed when unset. */
  PLATFORM_API_KEY: z.string().min(16).optional(),
  /** Derives token values and encrypts provider secrets at rest. */
  SECRET_KEY: z.string().min(32),
  MAX_BODY_BYTES: z.coerce.number().int().positive().default(1_048_576),
  /**
   * Hostnames of the deployment itself (comma-separated), where bare `/api/v1/...` means
   * the default inbox. Any other host that no inbox maps is answered as a missing inbox,
   * so a stray host never reaches the first workspace.
   */
  API_HOSTS: z
    .string()
    .default("")
    .transform(
      (s) =>
        new Set(
          s
            .split(",")
            .map((h) => h.trim().toLowerCase())
            .filter(Boolean),
        ),
    ),
  /**
   * Where this deployment's API is reached from outside (e.g. `https://hub.example.com`):
   * links in webhook payloads (users, media) of inboxes without a hostname of their own
   * are `{PUBLIC_BASE_URL}/inboxes/{id}/...`. `npm start` sets it to its local address.
   */
  PUBLIC_BASE_URL: z
    .string()
    .default("")
    .transform((s) => s.replace(/\/+$/, "")),
  /** Per attempt of a webhook or rule-engine call. */
  WEBHOOK_TIMEOUT_MS: z.coerce.number().int().positive().max(60_000).default(15_000),
  /**
   * Seconds before each retry of a failed webhook delivery (comma-separated): the number
   * of entries is the number of retries. Queues delay at most 12 hours per retry.
   */
  WEBHOOK_RETRY_DELAYS: z
    .string()
    .default("5,300,1800,7200,18000,36000,36000")
    .transform((s, ctx) => {
      const delays = s.split(",").map((d) => Number(d.trim()));
      if (delays.some((d) => !Number.isInteger(d) || d < 0 || d > 43_200)) {
        ctx.addIssue({ code: "custom", message: "WEBHOOK_RETRY_DELAYS must be whole seconds from 0 to 43200, comma-separated" });
      }
      return delays;
    }),
  /** `true` (only `npm start`): webhook URLs may also be `http:` and loopback, for subscribers on this machine. */
  WEBHOOK_LOCAL_URLS: z
    .enum(["true", "false", ""])
    .default("")
    .transform((v) => v === "true"),
  /**
   * The D1 bindings new inboxes are placed on (comma-separated; `src/db/client.ts`): beside
   * the workspace's other inboxes, else on the one holding fewest inboxes. Empty: new inboxes
   * stay on the directory (`DB`). A full shard leaves this list and keeps its binding, so its inboxes are still served.
   */
  SHARDS: z
    .string()
    .default("")
    .transform((s) => [
      ...new Set(
        s
          .split(",")
          .map((b) => b.trim())
          .filter(Boolean),
      ),
    ]),
});

export type Config = z.infer<typeof ConfigSchema>;

let cached: { env: unknown; config: Config } | undefined;

export function config(env: Env): Config {
  if (cached?.env === env) return cached.config;
  const parsed = ConfigSchema.safeParse(env);
  if (!parsed.success) {
    throw new Error(`Invalid configuration: ${z.prettifyError(parsed.error)}`);
  }
  for (const shard of parsed.data.SHARDS) d1Binding(env, shard);
  cached = { env, config: parsed.data };
  return parsed.data;
}
