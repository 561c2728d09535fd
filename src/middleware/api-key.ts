import type { Context } from "hono";
import type { AppEnv } from "../context";
import { apiKeyByHash, touchApiKey } from "../db/queries/api-keys";
import { sha256Hex } from "../services/crypto";

/** `last_used_at` moves at most hourly: a CRM import must not write the key's row on every request. */
const TOUCH_EVERY_S = 3600;

/**
 * Authenticates a workspace API key (`sbk_…`) and sets the request's principal to it; null
 * when the key is unknown or revoked. The key is looked up by its SHA-256, so what is
 * compared is a digest through a unique index, never the secret itself.
 */
export async function authenticateApiKey(c: Context<AppEnv>, key: string | undefined): Promise<string | null> {
  if (!key || key.length > 200) return null;
  const row = await apiKeyByHash(c.get("db"), await sha256Hex(key));
  if (!row) return null;
  const at = Math.floor(Date.now() / 1000);
  if ((row.lastUsedAt ?? 0) < at - TOUCH_EVERY_S) c.executionCtx.waitUntil(touchApiKey(c.get("db"), row.id, at, TOUCH_EVERY_S));
  c.set("principal", { kind: "api_key", workspaceId: row.workspaceId, keyId: row.id });
  return row.workspaceId;
}
