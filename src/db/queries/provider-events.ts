import type { Db } from "../client";
import { providerEvents } from "../schema";

export type ProviderEvent = { kind: "field" | "error" | "invalid"; name: string; payload: unknown };

/** Stores a webhook's non-message content; chunked under D1's bound-parameter limit. */
export async function insertProviderEvents(db: Db, inboxId: string, events: ProviderEvent[]): Promise<void> {
  for (let i = 0; i < events.length; i += 20) {
    await db.insert(providerEvents).values(events.slice(i, i + 20).map((e) => ({ inboxId, ...e })));
  }
}
