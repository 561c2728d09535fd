import { sql } from "drizzle-orm";
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { workspaces } from "./tenancy";

const now = sql`(unixepoch())`;

export const ROLES = ["admin", "user", "app"] as const;
export type Role = (typeof ROLES)[number];

/** Chat access levels; see services/permissions.ts for their meaning. */
export const CHAT_ACCESS = ["all", "group", "assigned", "none"] as const;
export type ChatAccess = (typeof CHAT_ACCESS)[number];

export const users = sqliteTable(
  "users",
  {
    id: integer().primaryKey({ autoIncrement: true }),
    /** A v4 UUID beside the integer id (seed 003's "team member UUID"); set at creation, backfilled by migration 0014. */
    uuid: text().$defaultFn(() => crypto.randomUUID()),
    workspaceId: text()
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    username: text().notNull(),
    firstName: text().notNull().default(""),
    lastName: text().notNull().default(""),
    email: text().notNull().default(""),
    role: text({ enum: ROLES }).notNull(),
    /** `scheme$iterations$salt$hash`, null until a password is set. */
    passwordHash: text(),
    isActive: integer({ mode: "boolean" }).notNull().default(false),
    /** SHA-256 of the one-time activation code; null once used. */
    activationCodeHash: text(),
    canUseTags: integer({ mode: "boolean" }).notNull(),
    canReadChats: text({ enum: ["all", "group", "assigned", "none"] }).notNull(),
    canWriteToChats: text({ enum: ["all", "group", "assigned", "none"] }).notNull(),
    /** The vendor web inbox's availability switch: round robin skips unavailable members. */
    isAvailable: integer({ mode: "boolean" }).notNull().default(true),
    createdAt: integer().notNull().default(now),
  },
  (t) => [
    uniqueIndex("users_workspace_username_idx").on(t.workspaceId, t.username),
    uniqueIndex("users_activation_idx").on(t.activationCodeHash),
    uniqueIndex("users_uuid_idx").on(t.uuid),
  ],
);

export const groups = sqliteTable(
  "groups",
  {
    id: integer().primaryKey({ autoIncrement: true }),
    workspaceId: text()
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    name: text().notNull(),
    /** The role whose users belong to this group automatically ("Admin", "Regular user", "App integration"). */
    role: text({ enum: ROLES }),
  },
  (t) => [uniqueIndex("groups_workspace_name_idx").on(t.workspaceId, t.name)],
);

export const userGroups = sqliteTable(
  "user_groups",
  {
    userId: integer()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    groupId: integer()
      .notNull()
      .references(() => groups.id, { onDelete: "cascade" }),
  },
  (t) => [primaryKey({ columns: [t.userId, t.groupId] }), index("user_groups_group_idx").on(t.groupId)],
);

/**
 * API tokens. The token value is derived (HMAC of SECRET_KEY and `nonce`), so the
 * database holds only its hash and a nonce that is useless without the server secret,
 * yet `POST /auth/token/` can hand a user back their existing token as DRF does.
 */
export const tokens = sqliteTable("tokens", {
  userId: integer()
    .primaryKey()
    .references(() => users.id, { onDelete: "cascade" }),
  workspaceId: text().notNull(),
  keyHash: text().notNull().unique(),
  nonce: text().notNull(),
  createdAt: integer().notNull().default(now),
});

export const sessions = sqliteTable(
  "sessions",
  {
    idHash: text().primaryKey(),
    userId: integer()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    workspaceId: text().notNull(),
    expiresAt: integer().notNull(),
  },
  (t) => [index("sessions_user_idx").on(t.userId)],
);

/** Failed logins per username, to slow down password guessing. */
export const loginFailures = sqliteTable(
  "login_failures",
  {
    workspaceId: text().notNull(),
    username: text().notNull(),
    failures: integer().notNull(),
    windowStart: integer().notNull(),
    lockedUntil: integer(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.username] })],
);
