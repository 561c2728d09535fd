import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * The history of chat assignments, one row per `chat_assignment` event of the inbox's
 * stream (`id` = the event id, so a replayed write adds nothing). `*Set` is the user or
 * group assigned by the change, `*Cleared` says it removed one.
 */
export const assignmentEvents = sqliteTable(
  "assignment_events",
  {
    id: text().primaryKey(),
    inboxId: text().notNull(),
    seq: integer().notNull(),
    waId: text().notNull(),
    userSet: integer(),
    userCleared: integer({ mode: "boolean" }).notNull(),
    groupSet: integer(),
    groupCleared: integer({ mode: "boolean" }).notNull(),
    doneBy: integer(),
    timestamp: integer().notNull(),
  },
  (t) => [
    index("assignment_events_time_idx").on(t.inboxId, t.timestamp, t.seq),
    index("assignment_events_chat_idx").on(t.inboxId, t.waId, t.timestamp),
  ],
);
