import { type SQL, sql } from "drizzle-orm";
import { type Db, shardOf } from "../client";
import { receivedMarks } from "../schema";
import { and, type ChatScope, chatCondition, chatConditions, contactMatch, pageClause } from "./chat-scope";
import { MESSAGE_OWN_COLUMNS, type MessageRecord } from "./messages";
import { CHAT_TAGGINGS, MESSAGE_TAGGINGS } from "./tags";

export type ChatRecord = {
  inbox_id: string;
  wa_id: string;
  contact: string;
  profile_name: string | null;
  last_message_timestamp: number | null;
  assigned_to_user: number | null;
  assigned_group: number | null;
  resolved: number;
  new_messages: number;
  last_message_id: number | null;
  /** With `withLast`: the last message, and the chat's `CHAT_TAGGINGS`. */
  last?: MessageRecord | null;
  taggings?: string | null;
};

/**
 * `new_messages` counts at most this many: a page costs at most this many index entries per
 * chat, however long a chat has gone unread (a badge shows "100+" beyond it anyway).
 */
export const NEW_MESSAGES_CAP = 100;

/**
 * A page of chats and their count in one statement; `withLast` adds each chat's last
 * message (as `listMessages` reads messages) and its taggings, so a chat page needs no
 * second read of the shard.
 */
export async function listChats(
  db: Db,
  s: ChatScope,
  limit: number,
  offset: number,
  withLast = false,
): Promise<{ rows: ChatRecord[]; count: number }> {
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
  const last = withLast
    ? sql`, ${LAST_MESSAGE_COLUMNS}, ${CHAT_TAGGINGS} AS taggings FROM total LEFT JOIN page p LEFT JOIN messages m ON m.id = p.last_message_id`
    : sql` FROM total LEFT JOIN page p`;
  const found = await shard.all<ChatRecord & { n: number } & Record<`m_${string}`, unknown>>(sql`WITH
    total AS MATERIALIZED (SELECT count(*) AS n ${from}),
    page AS MATERIALIZED (SELECT c.inbox_id, c.wa_id, c.contact, c.profile_name, c.last_message_timestamp, c.last_message_seq, c.assigned_to_user,
      c.assigned_group, c.resolved, c.last_message_id, rm.timestamp AS mark,
      (SELECT count(*) FROM (SELECT 1 FROM messages n WHERE n.inbox_id = c.inbox_id AND n.wa_id = c.wa_id AND n.from_us = 0
        AND n.timestamp > coalesce(rm.timestamp, -1) LIMIT ${sql.raw(String(NEW_MESSAGES_CAP))})) AS new_messages
      ${from} ORDER BY c.last_message_timestamp DESC, c.last_message_seq DESC ${pageClause(limit, offset)})
    SELECT total.n, p.*${last} ORDER BY p.last_message_timestamp DESC, p.last_message_seq DESC`);
  const rows = found.filter((r) => r.wa_id !== null).map((r) => (withLast ? { ...r, last: lastMessage(r) } : r));
  return { rows, count: found[0]?.n ?? 0 };
}

/** A page's last messages' own columns, beside its chats' (`MessageRecord`'s chat fields are the chat's). */
const LAST_MESSAGE_COLUMNS = sql`${sql.raw(MESSAGE_OWN_COLUMNS.map((c) => `m.${c} AS m_${c}`).join(", "))}, ${MESSAGE_TAGGINGS} AS m_taggings`;

function lastMessage(r: ChatRecord & { mark?: number | null } & Record<`m_${string}`, unknown>): MessageRecord | null {
  if (r.m_id === null || r.m_id === undefined) return null;
  const own = Object.fromEntries(MESSAGE_OWN_COLUMNS.map((c) => [c, r[`m_${c}`]]));
  return {
    ...(own as Pick<MessageRecord, (typeof MESSAGE_OWN_COLUMNS)[number]>),
    wa_id: r.wa_id,
    contact: r.contact,
    profile_name: r.profile_name,
    chat_last_message_timestamp: r.last_message_timestamp,
    chat_assigned_user: r.assigned_to_user,
    chat_assigned_group: r.assigned_group,
    mark: r.mark ?? null,
    taggings: r.m_taggings as string | null,
  };
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
      set: { timestamp: sql`excluded.timestamp` },
      // A mark that would not move forward writes nothing (no row written to bill).
      setWhere: onlyForward ? sql`excluded.timestamp > ${receivedMarks.timestamp}` : undefined,
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
