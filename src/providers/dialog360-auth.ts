import type { Inbox } from "../db/queries/inboxes";
import { safeEqual, sha256Hex } from "../services/crypto";
import { DEFAULT_BASE_URLS } from "./config";

/**
 * Provider authentication: a `D360-Api-Key` header authenticates when it is this
 * inbox's own 360dialog key (a key of another number must not open this inbox) and
 * 360dialog still accepts it. Upstream answers are cached per isolate for a minute so
 * that an integration polling the API does not call 360dialog on every request.
 */
const TTL_MS = 60_000;
const cache = new Map<string, { valid: boolean; until: number }>();

export async function isValidD360Key(inbox: Inbox, storedKey: string | undefined, apiKey: string): Promise<boolean> {
  if (inbox.provider !== "360dialog" || !storedKey || !safeEqual(apiKey, storedKey)) return false;
  const cacheKey = `${inbox.id}:${await sha256Hex(apiKey)}`;
  const hit = cache.get(cacheKey);
  if (hit && hit.until > Date.now()) return hit.valid;
  const base = String(inbox.config.api_base_url ?? DEFAULT_BASE_URLS["360dialog"]);
  let valid: boolean;
  try {
    const res = await fetch(`${base}/v1/configs/webhook`, { headers: { "D360-API-KEY": apiKey }, signal: AbortSignal.timeout(5000) });
    valid = res.ok;
    await res.body?.cancel();
  } catch {
    return false; // upstream unreachable: not cached, other methods still apply
  }
  if (cache.size > 1000) cache.clear();
  cache.set(cacheKey, { valid, until: Date.now() + TTL_MS });
  return valid;
}
