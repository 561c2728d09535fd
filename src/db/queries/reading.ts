import { type SQL, sql } from "drizzle-orm";
import type { ChatFilter } from "../../services/permissions";
import type { Db } from "../client";
import { chunks } from "./chunks";

/**
 * Read queries for chats, messages and persons. One filter builder serves all three,
 * so permission, assignment and search filters mean the same thing everywhere.
 */
export type ChatScope = {
  inboxId: string;
  userId: number;
  access: ChatFilter;
  waId?: string;
  assignedToMe?: boolean;
  assignedGroup?: number;
  /** Only chats tagged with this tag (`chat_tag_id`). */
  chatTagId?: number;
  /** FTS5 MATCH expression over message text, and/or a LIKE pattern over contact names and numbers. */
  match?: string | null;
  /** Substrings of contact names (lower-case) and numbers. instr(), not LIKE: D1 caps LIKE patterns at 50 bytes. */
  nameContains?: string | null;
  numberContains?: string | null;
};

/** Conditions on the chat alias `c`. */
function chatConditions(s: ChatScope): SQL[] {
  const where: SQL[] = [sql`c.inbox_id = ${s.inboxId}`];
  if (s.access.kind === "none") where.push(sql`0`);
  if (s.access.kind === "assigned") {
    const groups = s.access.groupIds.length
      ? sql`c.assigned_group IN (${sql.join(
          s.access.groupIds.map((g) => sql`${g}`),
          sql`, `,
        )})`
      : sql`0`;
    where.push(sql`(c.assigned_to_user = ${s.access.userId} OR ${groups})`);
  }
  if (s.waId !== undefined) where.push(sql`c.wa_id = ${s.waId}`);
  if (s.assignedToMe) where.push(sql`c.assigned_to_user = ${s.userId}`);
  if (s.assignedGroup !== undefined) where.push(sql`c.assigned_group = ${s.assignedGroup}`);
  if (s.chatTagId !== undefined) {
    where.push(
      sql`EXISTS (SELECT 1 FROM chat_taggings ct WHERE ct.inbox_id = c.inbox_id AND ct.wa_id = c.wa_id AND ct.tag_id = ${s.chatTagId})`,
    );
  }
  return where;
}

const and = (parts: SQL[]) => sql.join(parts, sql` AND `);

/** The scope's conditions on a chat alias `c` as one SQL condition (for other tables joined to chats). */
export const chatCondition = (s: ChatScope): SQL => and(chatConditions(s));

function contactMatch(s: ChatScope, alias: SQL): SQL | null {
  const parts: SQL[] = [];
  if (s.nameContains) parts.push(sql`instr(lower(${alias}.profile_name), ${s.nameContains}) > 0`);
  if (s.numberContains) parts.push(sql`instr(${alias}.wa_id, ${s.numberContains}) > 0`);
  return parts.length ? sql`(${sql.join(parts, sql` OR `)})` : null;
}

/**
 * Ids of the messages a search matches: FTS hits plus every message of a chat whose
 * contact name or number matches. As an id set, SQLite can drive a count from it
 * instead of scanning the inbox.
 */
function searchedMessageIds(s: ChatScope): SQL | null {
  const sets: SQL[] = [];
  if (s.match) sets.push(sql`SELECT rowid AS id FROM messages_fts WHERE messages_fts MATCH ${s.match}`);
  const contact = contactMatch(s, sql.raw("sc"));
  if (contact) {
    // CROSS JOIN fixes the order: the few matching chats first, then their messages by index.
    sets.push(
      sql`SELECT sm.id FROM chats sc CROSS JOIN messages sm ON sm.inbox_id = sc.inbox_id AND sm.wa_id = sc.wa_id WHERE sc.inbox_id = ${s.inboxId} AND ${contact}`,
    );
  }
  return sets.length ? sql.join(sets, sql` UNION `) : null;
}

/**
 * LIMIT/OFFSET inlined as literals (they are validated integers): with a bound LIMIT,
 * SQLite cannot tell that a page is small and may sort every match instead of walking
 * the newest-first index (measured: 65 ms instead of 5 ms at a million messages).
 */
function pageClause(limit: number, offset: number): SQL {
  if (!Number.isSafeInteger(limit) || !Number.isSafeInteger(offset) || limit < 0 || offset < 0) throw new Error("invalid page");
  return sql.raw(`LIMIT ${limit} OFFSET ${offset}`);
}

export type MessageRecord = {
  id: number;
  wamid: string;
  wa_id: string;
  from_us: number;
  timestamp: number;
  seq: number;
  type: string;
  payload: string;
  statuses: string;
  sender_user_id: number | null;
  context_wamid: string | null;
  contact: string;
  profile_name: string | null;
  chat_last_message_timestamp: number | null;
  mark: number | null;
};

const MESSAGE_COLUMNS = sql`m.id, m.wamid, m.wa_id, m.from_us, m.timestamp, m.seq, m.type, m.payload, m.statuses, m.sender_user_id, m.context_wamid,
  c.contact, c.profile_name, c.last_message_timestamp AS chat_last_message_timestamp, rm.timestamp AS mark`;

/** Above this many search hits, walking the newest-first index finds a page sooner than sorting the hits. */
const DENSE_SEARCH = 2000;

export async function listMessages(
  db: Db,
  s: ChatScope & { sinceTime?: number; beforeTime?: number },
  limit: number,
  offset: number,
): Promise<{ rows: MessageRecord[]; count: number }> {
  const where = chatConditions(s);
  where.push(sql`m.inbox_id = ${s.inboxId}`);
  if (s.sinceTime !== undefined) where.push(sql`m.timestamp >= ${s.sinceTime}`);
  if (s.beforeTime !== undefined) where.push(sql`m.timestamp < ${s.beforeTime}`);
  const timed = s.sinceTime !== undefined || s.beforeTime !== undefined;
  const chats = sql`CROSS JOIN chats c ON c.inbox_id = m.inbox_id AND c.wa_id = m.wa_id`;
  // Two steps: the page's ids from indexes alone (no payloads read or sorted), then its rows by id.
  const pageIds = (source: SQL, extra: SQL[] = []) =>
    db.all<{ id: number }>(
      sql`SELECT m.id FROM ${source} ${chats} WHERE ${and([...where, ...extra])} ORDER BY m.timestamp DESC, m.seq DESC ${pageClause(limit, offset)}`,
    );
  const withRows = async (ids: { id: number }[], count: number) => {
    const byId = new Map(
      (
        await messagesByIds(
          db,
          s.inboxId,
          s.userId,
          ids.map((r) => r.id),
        )
      ).map((m) => [m.id, m]),
    );
    return { rows: ids.flatMap((r) => byId.get(r.id) ?? []), count };
  };

  if (s.match === undefined && !s.nameContains && !s.numberContains) {
    // No search: the count comes from the chats' counters (or an index range when timed), in parallel with the page.
    const counted = timed
      ? sql`SELECT count(*) AS n FROM messages m ${chats} WHERE ${and(where)}`
      : sql`SELECT coalesce(sum(c.message_count), 0) AS n FROM chats c WHERE ${and(chatConditions(s))}`;
    const [total, ids] = await Promise.all([db.get<{ n: number }>(counted), pageIds(sql`messages m`)]);
    return withRows(ids, total?.n ?? 0);
  }

  // Most searches match no contact: then the hits are the FTS rowids alone, with no union to build.
  const contact = contactMatch(s, sql.raw("sc"));
  const contactHit = contact && (await db.get(sql`SELECT 1 AS hit FROM chats sc WHERE sc.inbox_id = ${s.inboxId} AND ${contact} LIMIT 1`));
  const searched = searchedMessageIds(contactHit ? s : { ...s, nameContains: null, numberContains: null });
  if (!searched) return { rows: [], count: 0 }; // nothing in the query can match
  const unfiltered =
    !timed &&
    s.access.kind === "all" &&
    s.waId === undefined &&
    !s.assignedToMe &&
    s.assignedGroup === undefined &&
    s.chatTagId === undefined;
  const counted = unfiltered
    ? sql`SELECT count(*) AS n FROM (${searched})`
    : sql`SELECT count(*) AS n FROM (${searched}) s CROSS JOIN messages m INDEXED BY messages_id_cover ON m.id = s.id ${chats} WHERE ${and(where)}`;
  const count = (await db.get<{ n: number }>(counted))?.n ?? 0;
  if (count === 0 || offset >= count) return { rows: [], count };
  // Many hits: walk the newest-first index and stop after a page; few: sort just the hits.
  const ids =
    count > DENSE_SEARCH
      ? await pageIds(sql`messages m`, [sql`m.id IN (${searched})`])
      : await pageIds(sql`(${searched}) s CROSS JOIN messages m ON m.id = s.id`);
  return withRows(ids, count);
}

export type ChatRecord = {
  wa_id: string;
  contact: string;
  profile_name: string | null;
  last_message_timestamp: number | null;
  assigned_to_user: number | null;
  assigned_group: number | null;
  new_messages: number;
  last_message_id: number | null;
};

export async function listChats(db: Db, s: ChatScope, limit: number, offset: number): Promise<{ rows: ChatRecord[]; count: number }> {
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
    db.all<ChatRecord>(sql`SELECT c.wa_id, c.contact, c.profile_name, c.last_message_timestamp, c.assigned_to_user, c.assigned_group, c.last_message_id,
      (SELECT count(*) FROM messages n WHERE n.inbox_id = c.inbox_id AND n.wa_id = c.wa_id AND n.from_us = 0 AND n.timestamp > coalesce(rm.timestamp, -1)) AS new_messages
      ${from} ORDER BY c.last_message_timestamp DESC, c.last_message_seq DESC ${pageClause(limit, offset)}`),
    db.get<{ n: number }>(sql`SELECT count(*) AS n ${from}`),
  ]);
  return { rows, count: total?.n ?? 0 };
}

/** Messages by id, with the same columns as `listMessages`; chunked under D1's 100 bound parameters. */
export async function messagesByIds(db: Db, inboxId: string, userId: number, ids: number[]): Promise<MessageRecord[]> {
  const pages = await Promise.all(
    chunks(ids).map((chunk) =>
      // CROSS JOIN keeps SQLite from driving this from the chats table (workerd's planner would).
      db.all<MessageRecord>(sql`SELECT ${MESSAGE_COLUMNS} FROM messages m CROSS JOIN chats c ON c.inbox_id = m.inbox_id AND c.wa_id = m.wa_id
        LEFT JOIN received_marks rm ON rm.user_id = ${userId} AND rm.inbox_id = m.inbox_id AND rm.wa_id = m.wa_id
        WHERE m.inbox_id = ${inboxId} AND m.id IN (${sql.join(
          chunk.map((id) => sql`${id}`),
          sql`, `,
        )})`),
    ),
  );
  return pages.flat();
}

/** Sets a user's received mark for a chat (`onlyForward`: never move it back). */
export async function setReceivedMark(db: Db, userId: number, inboxId: string, waId: string, timestamp: number, onlyForward: boolean) {
  await db.run(sql`INSERT INTO received_marks (user_id, inbox_id, wa_id, timestamp) VALUES (${userId}, ${inboxId}, ${waId}, ${timestamp})
    ON CONFLICT (user_id, inbox_id, wa_id) DO UPDATE SET timestamp = ${onlyForward ? sql`max(timestamp, excluded.timestamp)` : sql`excluded.timestamp`}`);
}

/** What sending needs to know about a chat: its assignment and the customer-service window. */
export async function getChatState(db: Db, inboxId: string, waId: string) {
  return db.get<{ assigned_to_user: number | null; assigned_group: number | null; last_customer_message_timestamp: number | null }>(
    sql`SELECT assigned_to_user, assigned_group, last_customer_message_timestamp FROM chats WHERE inbox_id = ${inboxId} AND wa_id = ${waId}`,
  );
}

/** Whether a message carrying this media id sits in a chat the scope may read. */
export async function mediaInReadableChat(db: Db, s: ChatScope, mediaId: string): Promise<boolean> {
  const found = await db.get(sql`SELECT 1 AS ok FROM messages m CROSS JOIN chats c ON c.inbox_id = m.inbox_id AND c.wa_id = m.wa_id
    WHERE m.inbox_id = ${s.inboxId} AND m.media_id = ${mediaId} AND ${and(chatConditions(s))} LIMIT 1`);
  return Boolean(found);
}

/** A chat the scope may read, if it exists. */
export async function readableChat(db: Db, s: ChatScope, waId: string): Promise<{ wa_id: string } | undefined> {
  return db.get<{ wa_id: string }>(sql`SELECT c.wa_id FROM chats c WHERE ${chatCondition({ ...s, waId })} LIMIT 1`);
}

/** A message of a chat the scope may read, by WhatsApp id: its chat's wa_id. */
export async function readableMessage(db: Db, s: ChatScope, wamid: string): Promise<{ wa_id: string } | undefined> {
  return db.get<{ wa_id: string }>(sql`SELECT m.wa_id FROM messages m CROSS JOIN chats c ON c.inbox_id = m.inbox_id AND c.wa_id = m.wa_id
    WHERE m.inbox_id = ${s.inboxId} AND m.wamid = ${wamid} AND ${chatCondition(s)} LIMIT 1`);
}
