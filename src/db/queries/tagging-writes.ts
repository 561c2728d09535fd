/**
 * The inbox object's writes of taggings: raw statements like `ingest.ts`, each change
 * one D1 batch with its history row. Every statement is idempotent for its event id,
 * so the alarm can replay a change whose write was never confirmed.
 */

export type TaggingKind = "chat" | "message";

/** What a tagging change writes; kept in the object's event log until D1 has it. */
export type TaggingSpec = {
  kind: TaggingKind;
  action: "added" | "removed";
  eventId: string;
  seq: number;
  waId: string;
  wamid: string | null;
  tagId: number;
  /** The removed tagging's id (removals only). */
  taggingId: number | null;
  extra: unknown;
  doneBy: number | null;
  timestamp: number;
};

const TABLE = { chat: "chat_taggings", message: "message_taggings" } as const;

export function taggingStatements(d1: D1Database, inboxId: string, s: TaggingSpec): D1PreparedStatement[] {
  const extra = s.extra === null || s.extra === undefined ? null : JSON.stringify(s.extra);
  const change =
    s.action === "removed"
      ? d1.prepare(`DELETE FROM ${TABLE[s.kind]} WHERE id = ? AND inbox_id = ?`).bind(s.taggingId, inboxId)
      : s.kind === "chat"
        ? d1
            .prepare(
              "INSERT INTO chat_taggings (inbox_id, wa_id, tag_id, extra) VALUES (?, ?, ?, ?) ON CONFLICT (inbox_id, wa_id, tag_id) DO NOTHING RETURNING id",
            )
            .bind(inboxId, s.waId, s.tagId, extra)
        : d1
            .prepare(
              "INSERT INTO message_taggings (inbox_id, wamid, wa_id, tag_id, extra) VALUES (?, ?, ?, ?, ?) ON CONFLICT (inbox_id, wamid, tag_id) DO NOTHING RETURNING id",
            )
            .bind(inboxId, s.wamid, s.waId, s.tagId, extra);
  const history = d1
    .prepare(
      `INSERT INTO tagging_events (id, inbox_id, kind, seq, wa_id, wamid, tag_id, tag_name, tag_color, action, extra, done_by, timestamp)
       SELECT ?, ?, ?, ?, ?, ?, t.id, t.name, t.web_inbox_color, ?, ?, ?, ? FROM tags t WHERE t.id = ? ON CONFLICT (id) DO NOTHING`,
    )
    .bind(s.eventId, inboxId, s.kind, s.seq, s.waId, s.wamid, s.action, extra, s.doneBy, s.timestamp, s.tagId);
  // History first: a removal's row must be read before the tag itself could go.
  return [history, change];
}

export type TaggingRow = { id: number; wa_id: string; wamid: string | null; tag_id: number; extra: string | null };

/** One tagging of the inbox by id. */
export async function taggingById(d1: D1Database, inboxId: string, kind: TaggingKind, id: number): Promise<TaggingRow | null> {
  const wamid = kind === "message" ? "wamid" : "NULL AS wamid";
  return d1
    .prepare(`SELECT id, wa_id, ${wamid}, tag_id, extra FROM ${TABLE[kind]} WHERE id = ? AND inbox_id = ?`)
    .bind(id, inboxId)
    .first<TaggingRow>();
}

/** The tagging of this pair, if any. */
export async function taggingOf(
  d1: D1Database,
  inboxId: string,
  pair: { kind: TaggingKind; waId: string; wamid: string | null; tagId: number },
): Promise<TaggingRow | null> {
  return pair.kind === "chat"
    ? d1
        .prepare("SELECT id, wa_id, NULL AS wamid, tag_id, extra FROM chat_taggings WHERE inbox_id = ? AND wa_id = ? AND tag_id = ?")
        .bind(inboxId, pair.waId, pair.tagId)
        .first<TaggingRow>()
    : d1
        .prepare("SELECT id, wa_id, wamid, tag_id, extra FROM message_taggings WHERE inbox_id = ? AND wamid = ? AND tag_id = ?")
        .bind(inboxId, pair.wamid, pair.tagId)
        .first<TaggingRow>();
}

/** Every tagging of a tag in the inbox (a deleted tag's removals). */
export async function taggingsOfTag(d1: D1Database, inboxId: string, tagId: number): Promise<(TaggingRow & { kind: TaggingKind })[]> {
  const { results } = await d1
    .prepare(
      `SELECT 'message' AS kind, id, wa_id, wamid, tag_id, extra FROM message_taggings WHERE tag_id = ?1 AND inbox_id = ?2
       UNION ALL SELECT 'chat' AS kind, id, wa_id, NULL, tag_id, extra FROM chat_taggings WHERE tag_id = ?1 AND inbox_id = ?2`,
    )
    .bind(tagId, inboxId)
    .all<TaggingRow & { kind: TaggingKind }>();
  return results;
}
