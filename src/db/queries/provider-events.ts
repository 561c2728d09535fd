import type { Db } from "../client";
import { providerEvents } from "../schema";
import { chunks } from "./chunks";

export type ProviderEvent = { kind: "field" | "error" | "invalid"; name: string; payload: unknown };

/** D1 rows are capped near 2 MB; an item this large is kept as a marked excerpt instead. */
const MAX_PAYLOAD_CHARS = 256 * 1024;

function bounded(payload: unknown): unknown {
  const text = JSON.stringify(payload ?? null);
  return text.length <= MAX_PAYLOAD_CHARS ? (payload ?? null) : { truncated: true, chars: text.length, excerpt: text.slice(0, 4096) };
}

/** Stores a webhook's non-message content in one transaction (all or nothing, so a retry never duplicates half). */
export async function insertProviderEvents(db: Db, inboxId: string, events: ProviderEvent[]): Promise<void> {
  const rows = events.map((e) => ({ inboxId, kind: e.kind, name: e.name, payload: bounded(e.payload) }));
  const [first, ...rest] = chunks(rows, 20).map((chunk) => db.insert(providerEvents).values(chunk));
  if (first) await db.batch([first, ...rest]);
}
