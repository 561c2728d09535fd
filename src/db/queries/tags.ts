import { and, asc, count, eq, inArray, type SQL, sql } from "drizzle-orm";
import { type Db, shardOf } from "../client";
import { tags } from "../schema";
import type { ChatScope } from "./chat-scope";
import { chunks } from "./chunks";
import { type HistoryFilter, historyRow, listHistory } from "./history";
import { workspaceShards } from "./inboxes";

export type Tag = typeof tags.$inferSelect;
export type AttachedTag = {
  id: number;
  name: string;
  web_inbox_color: string | null;
  tagging_id: number;
  extra: Record<string, unknown> | null;
};

export async function listTags(db: Db, workspaceId: string, limit: number, offset: number) {
  const where = eq(tags.workspaceId, workspaceId);
  const [rows, total] = await Promise.all([
    db.select().from(tags).where(where).orderBy(asc(tags.id)).limit(limit).offset(offset),
    db.select({ n: count() }).from(tags).where(where),
  ]);
  return { rows, count: total[0]?.n ?? 0 };
}

export async function getTag(db: Db, workspaceId: string, id: number): Promise<Tag | undefined> {
  return (
    await db
      .select()
      .from(tags)
      .where(and(eq(tags.workspaceId, workspaceId), eq(tags.id, id)))
  )[0];
}

/** Inserts or updates a tag; `tags.name_key` (the lower-case name) is unique per workspace. */
export async function saveTag(
  db: Db,
  workspaceId: string,
  id: number | null,
  values: { name: string; webInboxColor: string | null },
): Promise<Tag | undefined> {
  const row = { ...values, nameKey: values.name.toLowerCase() };
  const saved =
    id === null
      ? await db
          .insert(tags)
          .values({ ...row, workspaceId })
          .returning()
      : await db
          .update(tags)
          .set(row)
          .where(and(eq(tags.workspaceId, workspaceId), eq(tags.id, id)))
          .returning();
  return saved[0];
}

/** Tags by id, whatever their workspace (the inbox object names the tags of its changes). */
export async function tagsByIds(db: Db, ids: number[]): Promise<Map<number, Tag>> {
  const found = await Promise.all(chunks(ids).map((part) => db.select().from(tags).where(inArray(tags.id, part))));
  return new Map(found.flat().map((t) => [t.id, t]));
}

export async function deleteTag(db: Db, workspaceId: string, id: number): Promise<void> {
  await db.delete(tags).where(and(eq(tags.workspaceId, workspaceId), eq(tags.id, id)));
}

/** Inboxes of the workspace that have taggings of a tag (whose objects must remove them), shard by shard. */
export async function inboxesUsingTag(db: Db, workspaceId: string, tagId: number): Promise<string[]> {
  const found = await Promise.all(
    (await workspaceShards(db, workspaceId)).map(async ({ shard }) => {
      const rows = await shard.all<{ inbox_id: string }>(
        sql`SELECT inbox_id FROM chat_taggings WHERE tag_id = ${tagId} UNION SELECT inbox_id FROM message_taggings WHERE tag_id = ${tagId}`,
      );
      return rows.map((r) => r.inbox_id);
    }),
  );
  return found.flat();
}

/**
 * A message's current taggings, read with the message (a column of the statements that read
 * messages, `m` their alias): `[[tagging id, tag id, extra], ...]` as JSON, in tagging order.
 */
export const MESSAGE_TAGGINGS = sql`(SELECT json_group_array(json_array(t.id, t.tag_id, t.extra))
  FROM (SELECT mt.id, mt.tag_id, mt.extra FROM message_taggings mt WHERE mt.inbox_id = m.inbox_id AND mt.wamid = m.wamid ORDER BY mt.id) t)`;

/** A chat page's taggings, as a column of its rows (`p`, a page of chats): a JSON array of `[id, tag_id, extra]`, or `[]`. */
export const CHAT_TAGGINGS = sql`(SELECT json_group_array(json_array(t.id, t.tag_id, t.extra))
  FROM (SELECT ct.id, ct.tag_id, ct.extra FROM chat_taggings ct WHERE ct.inbox_id = p.inbox_id AND ct.wa_id = p.wa_id ORDER BY ct.id) t)`;

/** Messages read with their `MESSAGE_TAGGINGS`, chats with their `CHAT_TAGGINGS`. */
type TaggedMessage = { wamid: string; taggings: string | null };
type TaggedChat = { wa_id: string; taggings?: string | null };

/**
 * The current taggings of a page's chats and messages, as read with them, as the seed's
 * attached-tag objects: their tags come from the directory (only when there are any).
 */
export async function tagsOf(
  db: Db,
  tagged: { chats?: TaggedChat[]; messages?: TaggedMessage[] },
): Promise<{ chats: Map<string, AttachedTag[]>; messages: Map<string, AttachedTag[]> }> {
  const chats = new Map<string, AttachedTag[]>();
  const messages = new Map<string, AttachedTag[]>();
  const read = (kind: "chat" | "message", key: string, taggings: string | null | undefined) =>
    (JSON.parse(taggings ?? "[]") as [number, number, string | null][]).map(([tagging_id, tag_id, extra]) => ({
      kind,
      key,
      tagging_id,
      extra,
      tag_id,
    }));
  const taggings = [
    ...(tagged.chats ?? []).flatMap((c) => read("chat", c.wa_id, c.taggings)),
    ...(tagged.messages ?? []).flatMap((m) => read("message", m.wamid, m.taggings)),
  ];
  if (!taggings.length) return { chats, messages };
  const byId = await tagsByIds(db, [...new Set(taggings.map((t) => t.tag_id))]);
  for (const r of taggings) {
    const tag = byId.get(r.tag_id);
    if (!tag) continue; // its tag is being deleted; the inbox object removes the tagging
    const into = r.kind === "chat" ? chats : messages;
    const attached = {
      id: tag.id,
      name: tag.name,
      web_inbox_color: tag.webInboxColor,
      tagging_id: r.tagging_id,
      extra: r.extra === null ? null : JSON.parse(r.extra),
    };
    into.set(r.key, [...(into.get(r.key) ?? []), attached]);
  }
  return { chats, messages };
}

export type TaggingEventRecord = {
  timestamp: number;
  action: "added" | "removed";
  tag_id: number;
  tag_name: string;
  tag_color: string | null;
  wa_id: string;
  wamid: string | null;
  extra: string | null;
  done_by: number | null;
};

const TAGGING_EVENT_COLUMNS = sql`e.timestamp, e.action, e.tag_id, e.tag_name, e.tag_color, e.wa_id, e.wamid, e.extra, e.done_by`;

export const taggingEvent = (db: Db, inboxId: string, eventId: string) =>
  historyRow<TaggingEventRecord>(db, "tagging_events", TAGGING_EVENT_COLUMNS, inboxId, eventId);

/** A page of chat or message tagging history (of one message with `wamid`). */
export function listTaggingEvents(
  db: Db,
  scope: ChatScope,
  f: HistoryFilter & { kind: TaggingKind; wamid?: string },
  limit: number,
  offset: number,
) {
  const where = [sql`e.kind = ${f.kind}`, ...(f.wamid === undefined ? [] : [sql`e.wamid = ${f.wamid}`])];
  return listHistory<TaggingEventRecord>(db, "tagging_events", TAGGING_EVENT_COLUMNS, scope, { ...f, where }, limit, offset);
}

export type TaggingKind = "chat" | "message";
export type Tagging = {
  kind: TaggingKind;
  id: number;
  waId: string;
  wamid: string | null;
  tagId: number;
  extra: Record<string, unknown> | null;
};

/** Chat and message taggings as one relation, so every lookup below is written once for both. */
const TAGGINGS = sql`(SELECT 'chat' AS kind, id, inbox_id, wa_id, NULL AS wamid, tag_id, extra FROM chat_taggings
  UNION ALL SELECT 'message', id, inbox_id, wa_id, wamid, tag_id, extra FROM message_taggings)`;
type TaggingRecord = { kind: TaggingKind; id: number; wa_id: string; wamid: string | null; tag_id: number; extra: string | null };
const toTagging = (r: TaggingRecord): Tagging => ({
  kind: r.kind,
  id: r.id,
  waId: r.wa_id,
  wamid: r.wamid,
  tagId: r.tag_id,
  extra: r.extra === null ? null : JSON.parse(r.extra),
});
const findTaggings = async (db: Db, where: SQL) =>
  (await db.all<TaggingRecord>(sql`SELECT kind, id, wa_id, wamid, tag_id, extra FROM ${TAGGINGS} x WHERE ${where}`)).map(toTagging);

/** One tagging of the inbox by id. */
export async function getTagging(db: Db, inboxId: string, kind: TaggingKind, id: number): Promise<Tagging | undefined> {
  const shard = await shardOf(db, inboxId);
  return (await findTaggings(shard, sql`x.kind = ${kind} AND x.inbox_id = ${inboxId} AND x.id = ${id}`))[0];
}

/** The tagging of a pair (a chat's by `waId`, a message's by `wamid`), if any. */
export async function taggingOf(
  db: Db,
  inboxId: string,
  pair: { kind: TaggingKind; waId: string; wamid: string | null; tagId: number },
): Promise<Tagging | undefined> {
  const shard = await shardOf(db, inboxId);
  const target = pair.kind === "chat" ? sql`x.wa_id = ${pair.waId}` : sql`x.wamid = ${pair.wamid}`;
  return (await findTaggings(shard, sql`x.kind = ${pair.kind} AND x.inbox_id = ${inboxId} AND ${target} AND x.tag_id = ${pair.tagId}`))[0];
}

/** Every tagging of a tag in the inbox (a deleted tag's removals), messages' first. */
export async function taggingsOfTag(db: Db, inboxId: string, tagId: number): Promise<Tagging[]> {
  const shard = await shardOf(db, inboxId);
  const rows = await findTaggings(shard, sql`x.inbox_id = ${inboxId} AND x.tag_id = ${tagId}`);
  return [...rows.filter((r) => r.kind === "message"), ...rows.filter((r) => r.kind === "chat")];
}
