import { type SQL, sql } from "drizzle-orm";
import { type Db, shardOf } from "../client";
import { receivedMarks } from "../schema";
import { and, type ChatScope, chatCondition, chatConditions, contactMatch, pageClause } from "./chat-scope";

export type ChatRecord = {
  wa_id: string;
  contact: string;
  profile_name: string | null;
  last_message_timestamp: number | null;
  assigned_to_user: number | null;
  assigned_group: number | null;
  resolved: number;
  new_messages: number;
  last_message_id: number | null;
};

/**
 * `new_messages` counts at most this many: a page costs at most this many index entries per
 * chat, however long a chat has gone unread (a badge shows "100+" beyond it anyway).
 */
export const NEW_MESSAGES_CAP = 100;

export async function listChats(db: Db, s: ChatScope, limit: number, offset: number): Promise<{ rows: ChatRecord[]; count: number }> {
  const shard = await shardOf(db, s.inboxId);
  const where = chatConditions(s);
  const search: SQL[] = [];
  if (s.match) {
    search.push(
      sql`c.wa_id IN (SELECT fm.wa_id FROM messages fm WHERE fm.id IN (SELECT rowid FROM messages_fts WHERE messages_fts MATCH ${s.match}))`,
    );
  }
  const contact = contactMatch(s, sql.raw("c"));
  if (contact) search.push(contact);
  if (search.length) where.push(sql`(${sql.join(search, sql` OR `)})`);
  const from = sql`FROM chats c LEFT JOIN received_marks rm ON rm.user_id = ${s.userId} AND rm.inbox_id = c.inbox_id AND rm.wa_id = c.wa_id WHERE ${and(where)}`;
  const [rows, total] = await Promise.all([
    shard.all<ChatRecord>(sql`SELECT c.wa_id, c.contact, c.profile_name, c.last_message_timestamp, c.assigned_to_user, c.assigned_group, c.resolved, c.last_message_id,
      (SELECT count(*) FROM (SELECT 1 FROM messages n WHERE n.inbox_id = c.inbox_id AND n.wa_id = c.wa_id AND n.from_us = 0
        AND n.timestamp > coalesce(rm.timestamp, -1) LIMIT ${sql.raw(String(NEW_MESSAGES_CAP))})) AS new_messages
      ${from} ORDER BY c.last_message_timestamp DESC, c.last_message_seq DESC ${pageClause(limit, offset)}`),
    shard.get<{ n: number }>(sql`SELECT count(*) AS n ${from}`),
  ]);
  return { rows, count: total?.n ?? 0 };
}

/** Sets a user's received mark for a chat (`onlyForward`: never move it back). */
export async function setReceivedMark(db: Db, userId: number, inboxId: string, waId: string, timestamp: number, onlyForward: boolean) {
  const shard = await shardOf(db, inboxId);
  await receivedMarkStatement(shard, userId, inboxId, waId, timestamp, onlyForward);
}

/** `setReceivedMark` as a statement for a D1 batch. */
export function receivedMarkStatement(db: Db, userId: number, inboxId: string, waId: string, timestamp: number, onlyForward: boolean) {
  return db
    .insert(receivedMarks)
    .values({ userId, inboxId, waId, timestamp })
    .onConflictDoUpdate({
      target: [receivedMarks.userId, receivedMarks.inboxId, receivedMarks.waId],
      set: { timestamp: onlyForward ? sql`max(${receivedMarks.timestamp}, excluded.timestamp)` : sql`excluded.timestamp` },
    });
}

/** What sending needs to know about a chat: its assignment and the customer-service window. */
export async function getChatState(db: Db, inboxId: string, waId: string) {
  const shard = await shardOf(db, inboxId);
  return shard.get<{
    assigned_to_user: number | null;
    assigned_group: number | null;
    last_customer_message_timestamp: number | null;
    resolved: number;
  }>(
    sql`SELECT assigned_to_user, assigned_group, last_customer_message_timestamp, resolved FROM chats WHERE inbox_id = ${inboxId} AND wa_id = ${waId}`,
  );
}

/** A chat the scope may read, if it exists. */
export async function readableChat(db: Db, s: ChatScope, waId: string): Promise<{ wa_id: string } | undefined> {
  const shard = await shardOf(db, s.inboxId);
  return shard.get<{ wa_id: string }>(sql`SELECT c.wa_id FROM chats c WHERE ${chatCondition({ ...s, waId })} LIMIT 1`);
}
