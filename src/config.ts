import { z } from "zod";

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
});

export type Config = z.infer<typeof ConfigSchema>;

let cached: { env: unknown; config: Config } | undefined;

export function config(env: Env): Config {
  if (cached?.env === env) return cached.config;
  const parsed = ConfigSchema.safeParse(env);
  if (!parsed.success) {
    throw new Error(`Invalid configuration: ${z.prettifyError(parsed.error)}`);
  }
  cached = { env, config: parsed.data };
  return parsed.data;
}
