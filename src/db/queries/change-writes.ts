/**
 * The inbox object's writes of changes (taggings, assignments): raw statements like
 * `ingest.ts`, each change with its history row. Every statement is idempotent for its
 * event id, so the alarm can replay a change whose write was never confirmed.
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
  /** The tag as it was named when the change was made (the history keeps it; the tag lives in the directory). */
  tagName: string;
  tagColor: string | null;
  /** The removed tagging's id (removals only). */
  taggingId: number | null;
  extra: unknown;
  doneBy: number | null;
  timestamp: number;
};

/** An assignment change: the chat's new user and group, and what changed (`*Set`, `*Cleared`). */
export type AssignmentSpec = {
  kind: "assignment";
  eventId: string;
  seq: number;
  waId: string;
  user: number | null;
  group: number | null;
  userSet: number | null;
  userCleared: boolean;
  groupSet: number | null;
  groupCleared: boolean;
  doneBy: number | null;
  timestamp: number;
};

/** A chat marked resolved or reopened by a person. */
export type ResolutionSpec = {
  kind: "resolution";
  eventId: string;
  seq: number;
  waId: string;
  resolved: boolean;
  doneBy: number | null;
  timestamp: number;
};

export type ChangeSpec = TaggingSpec | AssignmentSpec | ResolutionSpec;

export function changeStatements(d1: D1Database, inboxId: string, s: ChangeSpec): D1PreparedStatement[] {
  if (s.kind === "assignment") return assignmentStatements(d1, inboxId, s);
  if (s.kind === "resolution") {
    return [d1.prepare("UPDATE chats SET resolved = ? WHERE inbox_id = ? AND wa_id = ?").bind(s.resolved ? 1 : 0, inboxId, s.waId)];
  }
  return taggingStatements(d1, inboxId, s);
}

function assignmentStatements(d1: D1Database, inboxId: string, s: AssignmentSpec): D1PreparedStatement[] {
  return [
    d1
      .prepare("UPDATE chats SET assigned_to_user = ?, assigned_group = ? WHERE inbox_id = ? AND wa_id = ?")
      .bind(s.user, s.group, inboxId, s.waId),
    d1
      .prepare(
        `INSERT INTO assignment_events (id, inbox_id, seq, wa_id, user_set, user_cleared, group_set, group_cleared, done_by, timestamp)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`,
      )
      .bind(s.eventId, inboxId, s.seq, s.waId, s.userSet, s.userCleared ? 1 : 0, s.groupSet, s.groupCleared ? 1 : 0, s.doneBy, s.timestamp),
  ];
}

const TABLE = { chat: "chat_taggings", message: "message_taggings" } as const;

function taggingStatements(d1: D1Database, inboxId: string, s: TaggingSpec): D1PreparedStatement[] {
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
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`,
    )
    .bind(
      s.eventId,
      inboxId,
      s.kind,
      s.seq,
      s.waId,
      s.wamid,
      s.tagId,
      // Changes logged before tag names travelled with them have none.
      s.tagName ?? "",
      s.tagColor ?? null,
      s.action,
      extra,
      s.doneBy,
      s.timestamp,
    );
  return [history, change];
}
