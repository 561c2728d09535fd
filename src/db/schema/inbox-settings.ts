import { sql } from "drizzle-orm";
import { integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { inboxes } from "./tenancy";

/**
 * What an inbox holds about its WhatsApp number besides messages: message templates,
 * the business profile and the installed plugins. For `sandbox` inboxes these rows are the
 * store itself; for the other providers they cache the upstream, so the inbox never waits
 * on Meta to show a list.
 */

const now = sql`(unixepoch())`;

/** One template in one language (WhatsApp's own key). `status` is the upstream's, in lower case. */
export const templates = sqliteTable(
  "templates",
  {
    inboxId: text()
      .notNull()
      .references(() => inboxes.id, { onDelete: "cascade" }),
    name: text().notNull(),
    language: text().notNull(),
    category: text().notNull(),
    status: text().notNull(),
    components: text({ mode: "json" }).$type<unknown[]>().notNull(),
    rejectedReason: text(),
    /** The upstream's id (Cloud's template id); null for sandbox templates. */
    upstreamId: text(),
  },
  (t) => [primaryKey({ columns: [t.inboxId, t.name, t.language] })],
);

/**
 * When a cached copy (templates, business profile) was last refreshed from the upstream.
 * `refreshingSince` marks a refresh in progress (`currently_refreshing`); a stale mark
 * (a Worker that died mid-refresh) is ignored after a few minutes.
 */
export const upstreamSyncs = sqliteTable(
  "upstream_syncs",
  {
    inboxId: text()
      .notNull()
      .references(() => inboxes.id, { onDelete: "cascade" }),
    /** "templates" | "business_profile" */
    kind: text().notNull(),
    syncedAt: integer(),
    /** When the last refresh started, successful or not: failures are retried after a pause, not on every read. */
    attemptedAt: integer(),
    refreshingSince: integer(),
    /** Why the last refresh failed (the upstream's message); null after a success. */
    error: text(),
    /** Templates: the WABA's message_template_namespace. */
    namespace: text(),
  },
  (t) => [primaryKey({ columns: [t.inboxId, t.kind] })],
);

/**
 * The business profile as last read from (or, for sandbox inboxes, written to) the
 * number: `profile` is `{address, description, email, vertical, websites}` in our wire
 * names; the photo's bytes are in R2 under `photoKey`.
 */
export const businessProfiles = sqliteTable("business_profiles", {
  inboxId: text()
    .primaryKey()
    .references(() => inboxes.id, { onDelete: "cascade" }),
  profile: text({ mode: "json" }).$type<Record<string, unknown>>().notNull(),
  about: text(),
  photoKey: text(),
  photoType: text(),
  updatedAt: integer().notNull().default(now),
});

/** A plugin installed on an inbox: at most one per type; `config` is what its type defines. */
export const plugins = sqliteTable(
  "plugins",
  {
    inboxId: text()
      .notNull()
      .references(() => inboxes.id, { onDelete: "cascade" }),
    type: text().notNull(),
    config: text({ mode: "json" }).$type<Record<string, unknown>>().notNull(),
    installedAt: integer().notNull().default(now),
  },
  (t) => [primaryKey({ columns: [t.inboxId, t.type] })],
);
