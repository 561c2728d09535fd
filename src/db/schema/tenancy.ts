import { sql } from "drizzle-orm";
import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

const now = sql`(unixepoch())`;

/** A tenant. Nothing crosses a workspace boundary. */
export const workspaces = sqliteTable("workspaces", {
  id: text().primaryKey(),
  name: text().notNull(),
  createdAt: integer().notNull().default(now),
});

/** One channel of a workspace: a WhatsApp business number behind one provider. */
export const inboxes = sqliteTable(
  "inboxes",
  {
    id: text().primaryKey(),
    workspaceId: text()
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    name: text().notNull(),
    provider: text({ enum: ["cloud", "360dialog", "onprem", "sandbox"] }).notNull(),
    phoneNumber: text(),
    /** Optional hostname that serves this inbox's API bare (`https://hostname/api/v1/...`). */
    hostname: text(),
    /** Provider configuration without secrets, JSON. */
    config: text({ mode: "json" }).$type<Record<string, unknown>>().notNull(),
    /** Provider secrets, AES-GCM encrypted with a key derived from SECRET_KEY. */
    secrets: text().notNull(),
    createdAt: integer().notNull().default(now),
  },
  (t) => [index("inboxes_workspace_idx").on(t.workspaceId, t.createdAt), uniqueIndex("inboxes_hostname_idx").on(t.hostname)],
);

/** Hashed workspace API keys (the public contacts endpoint authenticates with these). */
export const apiKeys = sqliteTable("api_keys", {
  id: text().primaryKey(),
  workspaceId: text()
    .notNull()
    .references(() => workspaces.id, { onDelete: "cascade" }),
  name: text().notNull(),
  keyHash: text().notNull().unique(),
  /** The key's first characters, shown in lists so people can tell keys apart. */
  prefix: text().notNull().default(""),
  createdAt: integer().notNull().default(now),
  /** Updated coarsely (at most hourly), not on every request. */
  lastUsedAt: integer(),
});
