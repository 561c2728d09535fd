import { type SQL, sql } from "drizzle-orm";
import type { Db } from "../client";
import { and, type ChatScope, chatCondition, chatConditions, contactMatch, pageClause } from "./chat-scope";
import { chunks } from "./chunks";

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
  /** The chat's assignment now (who may read it, who it is assigned to). */
  chat_assigned_user: number | null;
  chat_assigned_group: number | null;
  mark: number | null;
};

const MESSAGE_COLUMNS = sql`m.id, m.wamid, m.wa_id, m.from_us, m.timestamp, m.seq, m.type, m.payload, m.statuses, m.sender_user_id, m.context_wamid,
  c.contact, c.profile_name, c.last_message_timestamp AS chat_last_message_timestamp,
  c.assigned_to_user AS chat_assigned_user, c.assigned_group AS chat_assigned_group, rm.timestamp AS mark`;

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

/** Messages by id, with the same columns as `listMessages`; chunked under D1's 100 bound parameters. */
export function messagesByIds(db: Db, inboxId: string, userId: number, ids: number[]): Promise<MessageRecord[]> {
  return messagesBy(db, inboxId, userId, sql`m.id`, ids);
}

/** Messages by WhatsApp id, as `messagesByIds`. */
export function messagesByWamids(db: Db, inboxId: string, userId: number, wamids: string[]): Promise<MessageRecord[]> {
  return messagesBy(db, inboxId, userId, sql`m.wamid`, wamids);
}

async function messagesBy(db: Db, inboxId: string, userId: number, key: SQL, values: (number | string)[]): Promise<MessageRecord[]> {
  const pages = await Promise.all(
    chunks(values).map((chunk) =>
      // CROSS JOIN keeps SQLite from driving this from the chats table (workerd's planner would).
      db.all<MessageRecord>(sql`SELECT ${MESSAGE_COLUMNS} FROM messages m CROSS JOIN chats c ON c.inbox_id = m.inbox_id AND c.wa_id = m.wa_id
        LEFT JOIN received_marks rm ON rm.user_id = ${userId} AND rm.inbox_id = m.inbox_id AND rm.wa_id = m.wa_id
        WHERE m.inbox_id = ${inboxId} AND ${key} IN (${sql.join(
          chunk.map((v) => sql`${v}`),
          sql`, `,
        )})`),
    ),
  );
  return pages.flat();
}

/** Whether a message carrying this media id sits in a chat the scope may read. */
export async function mediaInReadableChat(db: Db, s: ChatScope, mediaId: string): Promise<boolean> {
  const found = await db.get(sql`SELECT 1 AS ok FROM messages m CROSS JOIN chats c ON c.inbox_id = m.inbox_id AND c.wa_id = m.wa_id
    WHERE m.inbox_id = ${s.inboxId} AND m.media_id = ${mediaId} AND ${and(chatConditions(s))} LIMIT 1`);
  return Boolean(found);
}

/** A message of a chat the scope may read, by WhatsApp id: its chat's wa_id. */
export async function readableMessage(db: Db, s: ChatScope, wamid: string): Promise<{ wa_id: string } | undefined> {
  return db.get<{ wa_id: string }>(sql`SELECT m.wa_id FROM messages m CROSS JOIN chats c ON c.inbox_id = m.inbox_id AND c.wa_id = m.wa_id
    WHERE m.inbox_id = ${s.inboxId} AND m.wamid = ${wamid} AND ${chatCondition(s)} LIMIT 1`);
}
