/**
 * The inbox object's writes of taggings: raw statements like `ingest.ts`, each change
 * one D1 batch with its history row. Every statement is idempotent for its event id,
 * so the alarm can replay a change whose write was never confirmed.
 */

import type { TaggingKind } from "./tags";

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
              "INSERT INTO chat_taggings (inbox_id, wa_id, tag_id, extra) VALUES (?, ?, ?, ?) ON CONFLICT (inbox_id, wa_id, tag_id) DO NOTHING",
            )
            .bind(inboxId, s.waId, s.tagId, extra)
        : d1
            .prepare(
              "INSERT INTO message_taggings (inbox_id, wamid, wa_id, tag_id, extra) VALUES (?, ?, ?, ?, ?) ON CONFLICT (inbox_id, wamid, tag_id) DO NOTHING",
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
