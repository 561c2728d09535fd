import { type SQL, sql } from "drizzle-orm";
import { type Db, shardOf } from "../client";
import { and, type ChatScope, chatCondition, chatConditions, contactMatch, pageClause } from "./chat-scope";
import { chunks } from "./chunks";
import { MESSAGE_TAGGINGS } from "./tags";

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
  /** `MESSAGE_TAGGINGS`. */
  taggings: string | null;
};

/** A message's own columns (of `MessageRecord`; the rest are its chat's, its reader's mark and its taggings). */
export const MESSAGE_OWN_COLUMNS = [
  "id",
  "wamid",
  "from_us",
  "timestamp",
  "seq",
  "type",
  "payload",
  "statuses",
  "sender_user_id",
  "context_wamid",
] as const;

const MESSAGE_COLUMNS = sql`${sql.raw(MESSAGE_OWN_COLUMNS.map((c) => `m.${c}`).join(", "))}, m.wa_id,
  c.contact, c.profile_name, c.last_message_timestamp AS chat_last_message_timestamp,
  c.assigned_to_user AS chat_assigned_user, c.assigned_group AS chat_assigned_group, rm.timestamp AS mark, ${MESSAGE_TAGGINGS} AS taggings`;

/** Above this many search hits, walking the newest-first index finds a page sooner than sorting the hits. */
const DENSE_SEARCH = 2000;
/**
 * A whole-inbox search counts its hits up to this many (more when paging past it): a search
 * then reads about this many full-text entries whatever its hits (10,000 made it 3.7 times
 * as long at a million messages).
 */
export const SEARCH_COUNT_CAP = 1_000;

export async function listMessages(
  db: Db,
  s: ChatScope & { sinceTime?: number; beforeTime?: number },
  limit: number,
  offset: number,
): Promise<{ rows: MessageRecord[]; count: number }> {
  const shard = await shardOf(db, s.inboxId);
  const where = chatConditions(s);
  where.push(sql`m.inbox_id = ${s.inboxId}`);
  if (s.sinceTime !== undefined) where.push(sql`m.timestamp >= ${s.sinceTime}`);
  if (s.beforeTime !== undefined) where.push(sql`m.timestamp < ${s.beforeTime}`);
  const timed = s.sinceTime !== undefined || s.beforeTime !== undefined;
  const chats = sql`CROSS JOIN chats c ON c.inbox_id = m.inbox_id AND c.wa_id = m.wa_id`;
  // The page's ids from indexes alone (no payloads read or sorted); its rows are read by id after.
  const pageOf = (source: SQL, extra: SQL[] = [], clause = pageClause(limit, offset)) =>
    sql`SELECT m.id, m.timestamp, m.seq FROM ${source} ${chats} WHERE ${and([...where, ...extra])} ORDER BY m.timestamp DESC, m.seq DESC ${clause}`;

  if (s.match === undefined && !s.nameContains && !s.numberContains) {
    // No search: the count comes from the chats' counters (or an index range when timed).
    const counted = timed
      ? sql`SELECT count(*) AS n FROM messages m ${chats} WHERE ${and(where)}`
      : sql`SELECT coalesce(sum(c.message_count), 0) AS n FROM chats c WHERE ${and(chatConditions(s))}`;
    return pageWithCount(shard, s.userId, sql`total AS MATERIALIZED (${counted}), page AS MATERIALIZED (${pageOf(sql`messages m`)})`);
  }

  const unfiltered =
    !timed &&
    s.access.kind === "all" &&
    s.waId === undefined &&
    !s.assignedToMe &&
    s.assignedGroup === undefined &&
    s.chatTagId === undefined;
  // Most searches match no contact: then the hits are the FTS rowids alone, with no union to build.
  const contact = contactMatch(s, sql.raw("sc"));
  const probe = contact ? sql`SELECT 1 AS hit FROM chats sc WHERE sc.inbox_id = ${s.inboxId} AND ${contact} LIMIT 1` : null;
  if (unfiltered && s.match) {
    // The common search in one round trip, the contact probe included; a contact hit takes the general path.
    const found = await pageWithCount(shard, s.userId, newestHits(s.inboxId, s.match, limit, offset), probe ?? sql`NULL`);
    if (!found.extra) return found;
  }
  const contactHit = probe && (await shard.get(probe));
  const searched = searchedMessageIds(contactHit ? s : { ...s, nameContains: null, numberContains: null });
  if (!searched) return { rows: [], count: 0 }; // nothing in the query can match
  const counted = unfiltered
    ? sql`SELECT count(*) AS n FROM (${searched})`
    : sql`SELECT count(*) AS n FROM (${searched}) s CROSS JOIN messages m ON m.id = s.id ${chats} WHERE ${and(where)}`;
  const count = (await shard.get<{ n: number }>(counted))?.n ?? 0;
  if (count === 0 || offset >= count) return { rows: [], count };
  // Many hits: walk the newest-first index and stop after a page; few: sort just the hits.
  const page =
    count > DENSE_SEARCH
      ? pageOf(sql`messages m`, [sql`m.id IN (${searched})`])
      : pageOf(sql`(${searched}) s CROSS JOIN messages m ON m.id = s.id`);
  return pageWithCount(shard, s.userId, sql`total AS (SELECT ${count} AS n), page AS MATERIALIZED (${page})`);
}

/**
 * One statement for a page: `ctes` define `total(n)` and `page(id, timestamp, seq)`, and the
 * page's rows come back with `listMessages`' columns, each carrying the count (and `extra`,
 * a scalar the caller wants in the same round trip). An empty page gives one row of nulls.
 */
async function pageWithCount(db: Db, userId: number, ctes: SQL, extra: SQL = sql`NULL`) {
  const found = await db.all<MessageRecord & { n: number; extra: unknown }>(sql`WITH ${ctes}
    SELECT total.n, (${extra}) AS extra, ${MESSAGE_COLUMNS} FROM total LEFT JOIN page p LEFT JOIN messages m ON m.id = p.id
      LEFT JOIN chats c ON c.inbox_id = m.inbox_id AND c.wa_id = m.wa_id
      LEFT JOIN received_marks rm ON rm.user_id = ${userId} AND rm.inbox_id = m.inbox_id AND rm.wa_id = m.wa_id
    ORDER BY p.timestamp DESC, p.seq DESC`);
  return { rows: found.filter((r) => r.id !== null), count: found[0]?.n ?? 0, extra: found[0]?.extra };
}

/** About how many index entries a walk reads in the time a hit's row is read and sorted. */
const WALK_STEPS_PER_ROW = 5;

/**
 * The CTEs of a text search of a whole inbox whose cost does not grow with its hits beyond
 * FTS5's own prefix merge: the newest `cap` hits by rowid (the count, capped), then either the
 * newest-first index walked until a page of them (dense hits), or those hits sorted.
 * Hits beyond the cap are looked up only if the walk reaches ids below them, which only
 * out-of-order timestamps cause, so the order stays exact.
 */
function newestHits(inboxId: string, match: string, limit: number, offset: number): SQL {
  const cap = Math.max(SEARCH_COUNT_CAP, offset + limit + 1);
  const fts = sql`SELECT rowid AS id FROM messages_fts WHERE messages_fts MATCH ${match}`;
  // Walk only for a full page inside the hits (a page at their end would walk the inbox to its
  // oldest message), and only when they are dense: the walk reads about `end * span / n`
  // index entries (the hits spread over `span` ids), sorting reads `n` rows, each costlier.
  const end = offset + limit;
  const walks = sql`n > ${end} AND ${end} * span < ${WALK_STEPS_PER_ROW} * n * n`;
  const order = sql`ORDER BY m.timestamp DESC, m.seq DESC`;
  const at = sql.raw(`OFFSET ${offset}`);
  return sql`hits AS MATERIALIZED (${fts} ORDER BY rowid DESC ${sql.raw(`LIMIT ${cap}`)}),
    total AS MATERIALIZED (SELECT count(*) AS n, min(id) AS floor, max(id) - min(id) + 1 AS span FROM hits),
    page AS MATERIALIZED (
      SELECT * FROM (SELECT m.id, m.timestamp, m.seq FROM messages m INDEXED BY messages_recent_idx WHERE m.inbox_id = ${inboxId}
        AND (m.id IN hits OR (m.id < (SELECT floor FROM total) AND (SELECT n FROM total) = ${cap} AND m.id IN (${fts})))
        ${order} LIMIT (SELECT CASE WHEN ${walks} THEN ${limit} ELSE 0 END FROM total) ${at})
      UNION ALL
      SELECT * FROM (SELECT m.id, m.timestamp, m.seq FROM hits h CROSS JOIN messages m ON m.id = h.id WHERE m.inbox_id = ${inboxId}
        ${order} LIMIT (SELECT CASE WHEN ${walks} THEN 0 ELSE ${limit} END FROM total) ${at}))`;
}

/** Messages by id, with the same columns as `listMessages`; chunked under D1's 100 bound parameters. */
export async function messagesByIds(db: Db, inboxId: string, userId: number, ids: number[]): Promise<MessageRecord[]> {
  const shard = await shardOf(db, inboxId);
  // NOT INDEXED: the rowid still serves `m.id IN (...)`, where SQLite would walk the chat index for `inbox_id` instead.
  return messagesBy(shard, inboxId, userId, sql`messages m NOT INDEXED`, sql`m.id`, ids);
}

/** Messages by WhatsApp id, as `messagesByIds`. */
export async function messagesByWamids(db: Db, inboxId: string, userId: number, wamids: string[]): Promise<MessageRecord[]> {
  const shard = await shardOf(db, inboxId);
  return messagesBy(shard, inboxId, userId, sql`messages m`, sql`m.wamid`, wamids);
}

async function messagesBy(
  db: Db,
  inboxId: string,
  userId: number,
  from: SQL,
  key: SQL,
  values: (number | string)[],
): Promise<MessageRecord[]> {
  const pages = await Promise.all(
    chunks(values).map((chunk) =>
      // CROSS JOIN keeps SQLite from driving this from the chats table (workerd's planner would).
      db.all<MessageRecord>(sql`SELECT ${MESSAGE_COLUMNS} FROM ${from} CROSS JOIN chats c ON c.inbox_id = m.inbox_id AND c.wa_id = m.wa_id
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
  const shard = await shardOf(db, s.inboxId);
  const found = await shard.get(sql`SELECT 1 AS ok FROM messages m CROSS JOIN chats c ON c.inbox_id = m.inbox_id AND c.wa_id = m.wa_id
    WHERE m.inbox_id = ${s.inboxId} AND m.media_id = ${mediaId} AND ${and(chatConditions(s))} LIMIT 1`);
  return Boolean(found);
}

/** A message of a chat the scope may read, by WhatsApp id: its chat's wa_id. */
export async function readableMessage(db: Db, s: ChatScope, wamid: string): Promise<{ wa_id: string } | undefined> {
  const shard = await shardOf(db, s.inboxId);
  return shard.get<{ wa_id: string }>(sql`SELECT m.wa_id FROM messages m CROSS JOIN chats c ON c.inbox_id = m.inbox_id AND c.wa_id = m.wa_id
    WHERE m.inbox_id = ${s.inboxId} AND m.wamid = ${wamid} AND ${chatCondition(s)} LIMIT 1`);
}
