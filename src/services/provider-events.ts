import type { Db } from "../db/client";
import { insertProviderEvents, type ProviderEvent } from "../db/queries/provider-events";
import { API_LIMITS, limitProblem } from "../http/json";
import { toHex } from "./crypto";

/** D1 rows are capped near 2 MB; larger items are kept in the webhook body in R2 instead. */
const INLINE_LIMITS = { ...API_LIMITS, chars: 256 * 1024 };

/**
 * Keeps a webhook's non-message content (other fields, top-level errors, unreadable
 * items). An item too deep or too large for a row is stored as a reference to the whole
 * body, put once in R2 under its digest (a redelivery writes the same key), so no byte
 * the provider sent is lost and no row can exceed D1's limits.
 */
export async function keepProviderEvents(env: Env, db: Db, inboxId: string, events: ProviderEvent[], body: ArrayBuffer): Promise<void> {
  if (!events.length) return;
  let bodyKey: string | null = null;
  const rows = [];
  for (const e of events) {
    const inline = limitProblem(e.payload, INLINE_LIMITS) === null;
    if (!inline) bodyKey ??= `provider-events/${inboxId}/${toHex(await crypto.subtle.digest("SHA-256", body))}.json`;
    rows.push({ ...e, payload: inline ? (e.payload ?? null) : null, bodyKey: inline ? null : bodyKey });
  }
  if (bodyKey) await env.MEDIA.put(bodyKey, body, { httpMetadata: { contentType: "application/json" } });
  await insertProviderEvents(db, inboxId, rows);
}
