import { type SQL, sql } from "drizzle-orm";
import { type Db, shardOf } from "../client";
import { type ChatScope, chatCondition } from "./chat-scope";

/** The filters every event history takes (`GET /*_events/`). */
export type HistoryFilter = { waId?: string; sinceTime?: number; beforeTime?: number; where?: SQL[] };

/**
 * A page of an event history table (alias `e`: `inbox_id`, `wa_id`, `timestamp`, `seq`),
 * newest first, limited to the chats the scope may read.
 */
export async function listHistory<T>(
  db: Db,
  table: "tagging_events" | "assignment_events",
  columns: SQL,
  scope: ChatScope,
  f: HistoryFilter,
  limit: number,
  offset: number,
): Promise<{ rows: T[]; count: number }> {
  const shard = await shardOf(db, scope.inboxId);
  const where: SQL[] = [sql`e.inbox_id = ${scope.inboxId}`, chatCondition(scope), ...(f.where ?? [])];
  if (f.waId !== undefined) where.push(sql`e.wa_id = ${f.waId}`);
  if (f.sinceTime !== undefined) where.push(sql`e.timestamp >= ${f.sinceTime}`);
  if (f.beforeTime !== undefined) where.push(sql`e.timestamp < ${f.beforeTime}`);
  const from = sql`FROM ${sql.raw(table)} e CROSS JOIN chats c ON c.inbox_id = e.inbox_id AND c.wa_id = e.wa_id WHERE ${sql.join(where, sql` AND `)}`;
  const [rows, total] = await Promise.all([
    shard.all<T>(sql`SELECT ${columns} ${from} ORDER BY e.timestamp DESC, e.seq DESC LIMIT ${limit} OFFSET ${offset}`),
    shard.get<{ n: number }>(sql`SELECT count(*) AS n ${from}`),
  ]);
  return { rows, count: total?.n ?? 0 };
}

/** One row of an event history by its event id (webhook payloads carry the same element as the list). */
export async function historyRow<T>(db: Db, table: "tagging_events" | "assignment_events", columns: SQL, inboxId: string, eventId: string) {
  const shard = await shardOf(db, inboxId);
  return shard.get<T>(sql`SELECT ${columns} FROM ${sql.raw(table)} e WHERE e.inbox_id = ${inboxId} AND e.id = ${eventId}`);
}
