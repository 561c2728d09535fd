import { sql } from "drizzle-orm";
import { integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { tags } from "./tags";
import { inboxes } from "./tenancy";
import { groups, users } from "./users";

const now = sql`(unixepoch())`;

/**
 * A user's WABA webhook on one inbox (at most one per user and inbox, as the vendor's
 * one per API user). Secrets are AES-GCM sealed (services/secrets.ts); the previous
 * secret keeps signing for a day after a rotation.
 */
export const webhooks = sqliteTable(
  "webhooks",
  {
    id: integer().primaryKey({ autoIncrement: true }),
    inboxId: text()
      .notNull()
      .references(() => inboxes.id, { onDelete: "cascade" }),
    userId: integer()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    url: text().notNull(),
    onIncomingMessage: integer({ mode: "boolean" }).notNull(),
    onOutgoingMessage: integer({ mode: "boolean" }).notNull(),
    onAssigned: integer({ mode: "boolean" }).notNull(),
    isActive: integer({ mode: "boolean" }).notNull(),
    secret: text().notNull(),
    previousSecret: text(),
    previousSecretUntil: integer(),
    /** First failure of the current run of failures (POSIX seconds); null after a success. */
    failingSince: integer(),
    /** Why the system disabled it (410, five days failing); null when active or disabled by a person. */
    disabledReason: text(),
    createdAt: integer().notNull().default(now),
  },
  (t) => [uniqueIndex("webhooks_inbox_user_idx").on(t.inboxId, t.userId)],
);

export const DELIVERY_STATES = ["pending", "delivered", "failed", "dead"] as const;
export type DeliveryState = (typeof DELIVERY_STATES)[number];
export type DeliveryAttempt = {
  at: number;
  status_code: number | null;
  latency_ms: number;
  response_excerpt: string | null;
  error: string | null;
};

/**
 * One event for one receiver (a webhook, or the inbox's custom rule engine when
 * `webhookId` is null): the body is built once, so every retry sends the same bytes;
 * `attempts` logs each try. The id starts with the receiver and the event's time
 * (`deliveryId`), so a receiver's log is a range of the key and a replayed fan-out meets
 * what it made; the table is WITHOUT ROWID (migrations 0019, 0020), so a delivery writes
 * its row and nothing else.
 */
export const deliveries = sqliteTable("deliveries", {
  id: text().primaryKey(),
  inboxId: text()
    .notNull()
    .references(() => inboxes.id, { onDelete: "cascade" }),
  webhookId: integer().references(() => webhooks.id, { onDelete: "cascade" }),
  /** `webhook:{id}` or `engine`. */
  receiver: text().notNull(),
  eventId: text().notNull(),
  eventType: text().notNull(),
  state: text({ enum: DELIVERY_STATES }).notNull(),
  body: text().notNull(),
  /** The newest message in the body: a 2xx marks the chat received up to it for the webhook's user. */
  markWaId: text(),
  markTimestamp: integer(),
  attempts: text({ mode: "json" }).$type<DeliveryAttempt[]>().notNull().default(sql`'[]'`),
  createdAt: integer().notNull(),
});

export const ASSIGN_METHODS = ["round_robin", "let_group_decide"] as const;
export type AssignMethod = (typeof ASSIGN_METHODS)[number];

/** Default rule engine rules of an inbox; `taggedKey` (the tag id, 0 for "a fresh message") keeps one rule per trigger. */
export const rules = sqliteTable(
  "rules",
  {
    id: integer().primaryKey({ autoIncrement: true }),
    inboxId: text()
      .notNull()
      .references(() => inboxes.id, { onDelete: "cascade" }),
    taggedWith: integer().references(() => tags.id, { onDelete: "cascade" }),
    taggedKey: integer().notNull(),
    assignToUser: integer().references(() => users.id, { onDelete: "cascade" }),
    assignToGroup: integer().references(() => groups.id, { onDelete: "cascade" }),
    groupAssignMethod: text({ enum: ASSIGN_METHODS }),
  },
  (t) => [uniqueIndex("rules_trigger_idx").on(t.inboxId, t.taggedKey)],
);

/** An inbox's rule engine: the default (its rules) or a custom URL; headers are sealed like secrets. */
export const ruleEngines = sqliteTable("rule_engines", {
  inboxId: text()
    .primaryKey()
    .references(() => inboxes.id, { onDelete: "cascade" }),
  mode: text({ enum: ["default", "custom"] }).notNull(),
  url: text(),
  headers: text(),
  headerNames: text({ mode: "json" }).$type<string[]>().notNull(),
});

/** The raw status objects as WhatsApp sent them (first per key), for `statuses` in webhook payloads. */
export const statusPayloads = sqliteTable(
  "status_payloads",
  {
    inboxId: text().notNull(),
    wamid: text().notNull(),
    status: text().notNull(),
    payload: text().notNull(),
  },
  (t) => [primaryKey({ columns: [t.inboxId, t.wamid, t.status] })],
);
