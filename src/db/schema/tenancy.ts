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
/** A template as an inbox setting names it; `components` as WhatsApp's send API takes them. */
export type TemplateRef = { name: string; language: string; components?: Record<string, unknown>[] };

export const inboxes = sqliteTable(
  "inboxes",
  {
    id: text().primaryKey(),
    workspaceId: text()
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    name: text().notNull(),
    provider: text({ enum: ["cloud", "360dialog", "onprem", "sandbox", "webchat"] }).notNull(),
    phoneNumber: text(),
    /** Optional hostname that serves this inbox's API bare (`https://hostname/api/v1/...`). */
    hostname: text(),
    /** Provider configuration without secrets, JSON. */
    config: text({ mode: "json" }).$type<Record<string, unknown>>().notNull(),
    /** Provider secrets, AES-GCM encrypted with a key derived from SECRET_KEY. */
    secrets: text().notNull(),
    /** Polser: the template that invites a contact the contact webhook created (`inviteNewContacts`). */
    inviteTemplate: text({ mode: "json" }).$type<TemplateRef | null>(),
    /** Polser: flow name → the template that starts that Meta flow (`flow_data`). */
    flowTemplates: text({ mode: "json" }).$type<Record<string, TemplateRef>>().notNull().default(sql`'{}'`),
    /** The D1 binding that holds this inbox's traffic (`src/db/client.ts`); inboxes from before shards stay on the directory. */
    shard: text().notNull().default("DB"),
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
