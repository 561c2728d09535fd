import { z } from "@hono/zod-openapi";
import { config } from "../config";
import { fieldErrors, validationError } from "../errors";
import { encryptJson, openSecrets } from "../services/secrets";
import { urlProblem } from "../webhooks/url-policy";

/**
 * Contact provider configuration per type, as `src/providers/config.ts` has it for
 * inboxes: fields in SECRET_FIELDS are split off, sealed at rest and never returned.
 */
export const ContactProviderConfigs = {
  /** The workspace's own book: nothing to configure. */
  switchboard: z.strictObject({}),
  http: z.strictObject({
    url: z
      .string()
      .trim()
      .min(1, "This field may not be blank.")
      .max(2000, "Ensure this field has no more than 2000 characters.")
      .openapi({ description: "The directory's endpoint, called as `GET {url}?search=&limit=&page=` and `GET {url}?phone_number=`." }),
    token: z
      .string()
      .min(1, "This field may not be blank.")
      .max(2048, "Ensure this field has no more than 2048 characters.")
      .optional()
      .openapi({ description: "Sent as `Authorization: Bearer <token>`; write-only." }),
  }),
} as const;

export type ContactProviderType = keyof typeof ContactProviderConfigs;
export const CONTACT_PROVIDER_TYPES = Object.keys(ContactProviderConfigs) as [ContactProviderType, ...ContactProviderType[]];
export const isContactProviderType = (value: string): value is ContactProviderType => value in ContactProviderConfigs;

const SECRET_FIELDS: readonly string[] = ["token"];

/**
 * Validates a provider's config (on PATCH merged over the current one; a field set to
 * null is removed) and returns the columns to store: what may be shown, and the sealed
 * secrets. URLs get the same policy as webhook URLs, here and again before every call.
 */
export async function storeContactProviderConfig(env: Env, type: ContactProviderType, value: Record<string, unknown>) {
  const present = Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null));
  const parsed = ContactProviderConfigs[type].safeParse(present);
  if (!parsed.success) throw fieldErrors({ config: validationError(parsed.error).body });
  const shown: Record<string, unknown> = {};
  const secret: Record<string, string> = {};
  for (const [key, field] of Object.entries(parsed.data)) {
    if (SECRET_FIELDS.includes(key)) secret[key] = String(field);
    else shown[key] = field;
  }
  if (typeof shown.url === "string") {
    const problem = urlProblem(shown.url, config(env).WEBHOOK_LOCAL_URLS);
    if (problem) throw fieldErrors({ config: { url: [problem] } });
  }
  return { config: shown, secrets: await encryptJson(config(env).SECRET_KEY, secret) };
}

/** A provider row's secrets; rows are read a few at a time, so no cache is needed. */
export const contactProviderSecrets = (env: Env, row: { secrets: string }) =>
  openSecrets(
    config(env).SECRET_KEY,
    row.secrets,
    "send the contact provider's config again with every secret (PATCH contact_providers/{id}/).",
  );
