import { sql } from "drizzle-orm";
import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { workspaces } from "./tenancy";
import { users } from "./users";

/** Canned replies, shared by every inbox of the workspace. */
export const savedResponses = sqliteTable(
  "saved_responses",
  {
    id: integer().primaryKey({ autoIncrement: true }),
    workspaceId: text()
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    text: text().notNull(),
    createdBy: integer().references(() => users.id, { onDelete: "set null" }),
    createdAt: integer().notNull().default(sql`(unixepoch())`),
  },
  (t) => [index("saved_responses_workspace_idx").on(t.workspaceId, t.id)],
);
