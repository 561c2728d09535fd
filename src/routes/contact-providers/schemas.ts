import { z } from "@hono/zod-openapi";
import { CONTACT_PROVIDER_TYPES, contactProviderSecrets } from "../../contacts/config";
import type { ContactProviderRow } from "../../db/queries/contacts";
import { secretNames } from "../../services/secrets";

const Name = z.string().trim().min(1, "This field may not be blank.").max(100, "Ensure this field has no more than 100 characters.");
const Config = z.record(z.string(), z.unknown()).openapi({
  description:
    "Per type. `switchboard`: `{}`. `http`: `{url, token?}`; `token` is write-only. On PATCH, merged over the current config; a field set to null is removed.",
});

export const CreateContactProviderBody = z.object({
  type: z.enum(CONTACT_PROVIDER_TYPES, { error: (issue) => `"${String(issue.input)}" is not a valid choice.` }),
  name: Name,
  config: Config.default({}),
});
export const UpdateContactProviderBody = CreateContactProviderBody.partial();

export const ContactProviderSchema = z
  .object({
    id: z.number().int(),
    type: z.enum(CONTACT_PROVIDER_TYPES),
    name: z.string(),
    config: z.record(z.string(), z.unknown()).openapi({ description: "The configuration without its secrets." }),
    secrets_set: z.array(z.string()).openapi({ description: "Names of the secret fields that are set (values are never returned)." }),
  })
  .openapi("ContactProvider");

export async function toContactProviderWire(env: Env, row: ContactProviderRow): Promise<z.infer<typeof ContactProviderSchema>> {
  const type = z.enum(CONTACT_PROVIDER_TYPES).parse(row.type);
  return {
    id: row.id,
    type,
    name: row.name,
    config: row.config,
    secrets_set: await secretNames(contactProviderSecrets(env, row)),
  };
}
