import { sql } from "drizzle-orm";
import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { inboxes } from "./tenancy";

/**
 * Address books connected to an inbox (the seed: the inbox "does not keep or manage your
 * contacts"). `type` picks the adapter (`switchboard`: the workspace's own book; `http`:
 * a JSON directory); `config` is shown, `secrets` is AES-GCM sealed (services/secrets.ts).
 */
export const contactProviders = sqliteTable(
  "contact_providers",
  {
    id: integer().primaryKey({ autoIncrement: true }),
    inboxId: text()
      .notNull()
      .references(() => inboxes.id, { onDelete: "cascade" }),
    type: text().notNull(),
    name: text().notNull(),
    config: text({ mode: "json" }).$type<Record<string, unknown>>().notNull(),
    secrets: text().notNull(),
    createdAt: integer().notNull().default(sql`(unixepoch())`),
  },
  (t) => [index("contact_providers_inbox_idx").on(t.inboxId, t.id)],
);

/** `POST /contacts/verify/` answers, kept 7 days per inbox and input unless `force_check`. */
export const numberChecks = sqliteTable(
  "number_checks",
  {
    inboxId: text()
      .notNull()
      .references(() => inboxes.id, { onDelete: "cascade" }),
    input: text().notNull(),
    /** "valid" | "invalid" | "processing" | "failed" */
    status: text().notNull(),
    waId: text(),
    checkedAt: integer().notNull(),
  },
  (t) => [primaryKey({ columns: [t.inboxId, t.input] })],
);
