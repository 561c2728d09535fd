import { z } from "@hono/zod-openapi";
import { config } from "../config";
import type { Db } from "../db/client";
import { type ApiKey, insertApiKey } from "../db/queries/api-keys";
import { sha256Hex } from "./crypto";

/**
 * Workspace API keys, for the systems that push contacts (the Polser contact webhook's
 * URL, seed 003's `x-api-key`): `sbk_` + 32 URL-safe characters (192 random bits), stored
 * as SHA-256 only and shown once, at creation.
 */
const PREFIX = "sbk_";
const SHOWN_CHARS = 8;

export const ApiKeyBody = z.object({
  name: z.string().trim().min(1, "This field may not be blank.").max(100, "Ensure this field has no more than 100 characters."),
});

export const ApiKeySchema = z
  .object({
    id: z.string(),
    name: z.string(),
    prefix: z.string().openapi({ description: "The key's first characters, to tell keys apart." }),
    created_at: z.number().int(),
    last_used_at: z.number().int().nullable(),
  })
  .openapi("ApiKey");

export const NewApiKeySchema = ApiKeySchema.omit({ last_used_at: true })
  .extend({
    key: z.string().openapi({ description: "Shown only here." }),
    contact_webhook_url: z.string().openapi({ description: "The contact webhook's URL (the key is its secret); shown only here." }),
  })
  .openapi("NewApiKey");

export const toApiKeyWire = (k: ApiKey): z.infer<typeof ApiKeySchema> => ({
  id: k.id,
  name: k.name,
  prefix: k.prefix,
  created_at: k.createdAt,
  last_used_at: k.lastUsedAt,
});

function newKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(24));
  return (
    PREFIX +
    btoa(String.fromCharCode(...bytes))
      .replaceAll("+", "-")
      .replaceAll("/", "_")
  );
}

/** Creates a key; its secret parts are in this answer only. `origin`: where this deployment is reached. */
export async function createApiKey(
  env: Env,
  db: Db,
  workspaceId: string,
  name: string,
  origin: string,
): Promise<z.infer<typeof NewApiKeySchema>> {
  const key = newKey();
  const row = await insertApiKey(db, { workspaceId, name, keyHash: await sha256Hex(key), prefix: key.slice(0, SHOWN_CHARS) });
  const base = config(env).PUBLIC_BASE_URL || origin;
  const { last_used_at: _, ...wire } = toApiKeyWire(row);
  return { ...wire, key, contact_webhook_url: `${base}/webhooks/contacts/${key}` };
}
