import { z } from "@hono/zod-openapi";

/**
 * Inbox configuration per provider. Fields listed in SECRET_FIELDS are split off,
 * encrypted at rest and never returned by any API.
 */
const url = z
  .string()
  .url()
  .refine((u) => /^https?:\/\//.test(u), "Enter a valid http(s) URL.");
const webhook = {
  app_secret: z.string().min(1).max(256).optional().openapi({ description: "Signs inbound webhooks (X-Hub-Signature-256)." }),
  verify_token: z.string().min(1).max(256).optional().openapi({ description: "Answers Meta's hub.challenge handshake." }),
};

export const ProviderConfigs = {
  cloud: z.strictObject({
    phone_number_id: z.string().min(1).max(64),
    access_token: z.string().min(1).max(2048),
    app_secret: z.string().min(1).max(256),
    verify_token: z.string().min(1).max(256),
    waba_id: z
      .string()
      .regex(/^\d{1,32}$/, "A WhatsApp Business Account id is digits.")
      .optional()
      .openapi({ description: "The WhatsApp Business Account: needed for templates." }),
    app_id: z
      .string()
      .regex(/^\d{1,32}$/, "A Meta app id is digits.")
      .optional()
      .openapi({ description: "The Meta app: needed to upload a profile photo (Resumable Upload API)." }),
    api_base_url: url.optional(),
  }),
  "360dialog": z.strictObject({ api_key: z.string().min(1).max(256), api_base_url: url.optional(), ...webhook }),
  onprem: z.strictObject({
    api_base_url: url,
    username: z.string().min(1).max(256).optional(),
    password: z.string().min(1).max(256).optional(),
    auth_token: z.string().min(1).max(2048).optional(),
    ...webhook,
  }),
  sandbox: z.strictObject({ ...webhook }),
  /** Seed 003's webchat channels: no number and no upstream; until a web widget exists they only anchor webchat contacts. */
  webchat: z.strictObject({}),
} as const;

export type Provider = keyof typeof ProviderConfigs;
export const PROVIDERS = Object.keys(ProviderConfigs) as [Provider, ...Provider[]];

export const SECRET_FIELDS = ["access_token", "app_secret", "verify_token", "api_key", "password", "auth_token"] as const;

export const DEFAULT_BASE_URLS: Record<Provider, string | null> = {
  cloud: "https://graph.facebook.com/v21.0",
  "360dialog": "https://waba-v2.360dialog.io",
  onprem: null,
  sandbox: null,
  webchat: null,
};

/** Splits a validated provider config into what may be shown and what is encrypted. */
export function splitSecrets(configValue: Record<string, unknown>) {
  const shown: Record<string, unknown> = {};
  const secret: Record<string, string> = {};
  for (const [key, value] of Object.entries(configValue)) {
    if ((SECRET_FIELDS as readonly string[]).includes(key)) secret[key] = String(value);
    else shown[key] = value;
  }
  return { shown, secret };
}
