import { type Db, shardOf } from "../client";
import { providerEvents } from "../schema";
import { chunks } from "./chunks";

export type ProviderEvent = { kind: "field" | "error" | "invalid"; name: string; payload: unknown };

/** Stores a webhook's non-message content in one transaction (all or nothing, so a retry never duplicates half). */
export async function insertProviderEvents(db: Db, inboxId: string, events: (ProviderEvent & { bodyKey: string | null })[]): Promise<void> {
  const shard = await shardOf(db, inboxId);
  const rows = events.map((e) => ({ inboxId, kind: e.kind, name: e.name, payload: e.payload, bodyKey: e.bodyKey }));
  const [first, ...rest] = chunks(rows, 20).map((chunk) => shard.insert(providerEvents).values(chunk));
  if (first) await shard.batch([first, ...rest]);
}
