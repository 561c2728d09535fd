import { z } from "@hono/zod-openapi";
import { config } from "../config";
import type { Inbox } from "../db/queries/inboxes";
import { fieldErrors, validationError } from "../errors";
import { PROVIDERS, type Provider, ProviderConfigs, splitSecrets } from "../providers/config";
import { encryptJson, openSecrets, secretNames } from "./secrets";

/** A template named by an inbox setting (Polser's invitation and flows); `components` as WhatsApp's send API takes them. */
export const TemplateRefSchema = z
  .strictObject({
    name: z.string().trim().min(1).max(512),
    language: z.string().trim().min(2).max(15),
    components: z.array(z.record(z.string(), z.unknown())).max(20).optional(),
  })
  .openapi("TemplateRef");

export const InboxSchema = z
  .object({
    id: z.string(),
    workspace_id: z.string(),
    name: z.string(),
    provider: z.enum(PROVIDERS),
    phone_number: z.string().nullable(),
    hostname: z.string().nullable(),
    config: z.record(z.string(), z.unknown()).openapi({ description: "Provider configuration without its secrets." }),
    secrets_set: z
      .array(z.string())
      .openapi({ description: "Names of the secret config fields that are set (values are never returned)." }),
    webhook_url: z.string().url(),
    api_base_url: z.string().url(),
    invite_template: TemplateRefSchema.nullable().openapi({
      description: "Sent to contacts the contact webhook creates with `inviteNewContacts`.",
    }),
    flow_templates: z.record(z.string(), TemplateRefSchema).openapi({
      description: "Flow name → the template the contact webhook's `flow_data` sends (with a flow button unless `components` are given).",
    }),
    shard: z.string().openapi({
      description: "The D1 binding that holds the inbox's messages and chats, chosen when it was created (README, Storage).",
    }),
    created_at: z.number().int(),
  })
  .openapi("Inbox");

export async function toInboxWire(env: Env, inbox: Inbox, origin: string): Promise<z.infer<typeof InboxSchema>> {
  return {
    id: inbox.id,
    workspace_id: inbox.workspaceId,
    name: inbox.name,
    provider: inbox.provider,
    phone_number: inbox.phoneNumber,
    hostname: inbox.hostname,
    config: inbox.config,
    secrets_set: await secretNames(inboxSecrets(env, inbox)),
    webhook_url: `${origin}/webhooks/whatsapp/${inbox.id}`,
    api_base_url: `${origin}/inboxes/${inbox.id}/api/v1/`,
    invite_template: inbox.inviteTemplate ?? null,
    flow_templates: inbox.flowTemplates,
    shard: inbox.shard,
    created_at: inbox.createdAt,
  };
}

/** Decrypted secrets per ciphertext: an update writes a new ciphertext, so nothing stale is ever served. */
const decrypted = new Map<string, Promise<Record<string, string>>>();

/** An inbox's provider secrets (a 500 that says why when SECRET_KEY cannot decrypt them). */
export function inboxSecrets(env: Env, inbox: Pick<Inbox, "secrets">): Promise<Record<string, string>> {
  let secrets = decrypted.get(inbox.secrets);
  if (!secrets) {
    if (decrypted.size > 1000) decrypted.clear();
    secrets = openSecrets(
      config(env).SECRET_KEY,
      inbox.secrets,
      "send the inbox's config again with every secret (PATCH /platform/v1/workspaces/{id}/inboxes/{inboxId}).",
    );
    secrets.catch(() => decrypted.delete(inbox.secrets));
    decrypted.set(inbox.secrets, secrets);
  }
  return secrets;
}

/**
 * Validates a provider config (merged over the current one on PATCH) and returns the
 * columns to store: the visible part and the encrypted secrets.
 */
export async function storeProviderConfig(env: Env, provider: Provider, value: Record<string, unknown>) {
  const parsed = ProviderConfigs[provider].safeParse(value);
  if (!parsed.success) throw fieldErrors({ config: validationError(parsed.error).body });
  const { shown, secret } = splitSecrets(parsed.data);
  return { config: shown, secrets: await encryptJson(config(env).SECRET_KEY, secret) };
}

/**
 * An inbox's API base (without `/api/v1`) for what no request carries: webhook payloads
 * and rule-engine calls. An inbox with a hostname of its own is served bare there;
 * otherwise under PUBLIC_BASE_URL (relative `/inboxes/{id}` when that is unset).
 */
export function publicBaseUrl(env: Env, inbox: Pick<Inbox, "id" | "hostname">): string {
  if (inbox.hostname) return `https://${inbox.hostname}`;
  return `${config(env).PUBLIC_BASE_URL}/inboxes/${inbox.id}`;
}
