import { sql } from "drizzle-orm";
import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { workspaces } from "./tenancy";

/** Tags belong to the workspace; their names are unique in it regardless of case (`nameKey` = lower-case name). */
export const tags = sqliteTable(
  "tags",
  {
    id: integer().primaryKey({ autoIncrement: true }),
    workspaceId: text()
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    name: text().notNull(),
    nameKey: text().notNull(),
    webInboxColor: text(),
    createdAt: integer().notNull().default(sql`(unixepoch())`),
  },
  (t) => [uniqueIndex("tags_workspace_name_idx").on(t.workspaceId, t.nameKey)],
);

/**
 * Taggings are written only by the inbox object (so each add and remove is one event),
 * and a pair exists at most once.
 */
export const chatTaggings = sqliteTable(
  "chat_taggings",
  {
    id: integer().primaryKey({ autoIncrement: true }),
    inboxId: text().notNull(),
    waId: text().notNull(),
    tagId: integer().notNull(),
    extra: text({ mode: "json" }).$type<Record<string, unknown>>(),
  },
  (t) => [uniqueIndex("chat_taggings_pair_idx").on(t.inboxId, t.waId, t.tagId), index("chat_taggings_tag_idx").on(t.tagId, t.inboxId)],
);

export const messageTaggings = sqliteTable(
  "message_taggings",
  {
    id: integer().primaryKey({ autoIncrement: true }),
    inboxId: text().notNull(),
    wamid: text().notNull(),
    waId: text().notNull(),
    tagId: integer().notNull(),
    extra: text({ mode: "json" }).$type<Record<string, unknown>>(),
  },
  (t) => [
    uniqueIndex("message_taggings_pair_idx").on(t.inboxId, t.wamid, t.tagId),
    index("message_taggings_tag_idx").on(t.tagId, t.inboxId),
  ],
);

/**
 * The history of taggings (added/removed), one row per event of the inbox's stream
 * (`id` = the event id, so a replayed write adds nothing). The tag's name and colour are
 * kept as they were, since the tag may be deleted later.
 */
export const taggingEvents = sqliteTable(
  "tagging_events",
  {
    id: text().primaryKey(),
    inboxId: text().notNull(),
    kind: text({ enum: ["chat", "message"] }).notNull(),
    seq: integer().notNull(),
    waId: text().notNull(),
    wamid: text(),
    tagId: integer().notNull(),
    tagName: text().notNull(),
    tagColor: text(),
    action: text({ enum: ["added", "removed"] }).notNull(),
    extra: text({ mode: "json" }).$type<Record<string, unknown>>(),
    doneBy: integer(),
    timestamp: integer().notNull(),
  },
  (t) => [
    index("tagging_events_time_idx").on(t.inboxId, t.kind, t.timestamp, t.seq),
    index("tagging_events_chat_idx").on(t.inboxId, t.kind, t.waId, t.timestamp),
  ],
);
