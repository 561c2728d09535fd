import { sql } from "drizzle-orm";
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

/*
 * The tables of an inbox's traffic (these, and the taggings, histories and status payloads
 * beside them) live on the inbox's shard, apart from the directory's inboxes, users and tags:
 * they carry those ids without foreign keys, which cannot cross databases (`src/db/client.ts`).
 */

/**
 * One chat per customer per inbox; it also carries the customer's contact (the seed's
 * Person). `waId` is the phone-number WhatsApp id, or the business-scoped user id for
 * customers who only have a WhatsApp username.
 */
export const chats = sqliteTable(
  "chats",
  {
    inboxId: text().notNull(),
    waId: text().notNull(),
    /** The contact object as WhatsApp last sent it (`{profile: {name}, wa_id}`). */
    contact: text({ mode: "json" }).$type<Record<string, unknown>>().notNull(),
    profileName: text(),
    lastMessageId: integer(),
    lastMessageTimestamp: integer(),
    lastMessageSeq: integer(),
    /** Start of the 24-hour customer-service window: the customer's last message. */
    lastCustomerMessageTimestamp: integer(),
    /** Messages in the chat, kept by the write path: list counts add these up instead of counting rows. */
    messageCount: integer().notNull().default(0),
    assignedToUser: integer(),
    assignedGroup: integer(),
    /** Marked done by a person (`PATCH /chats/{wa_id}/resolve`); a new customer message reopens it. */
    resolved: integer({ mode: "boolean" }).notNull().default(false),
  },
  (t) => [
    primaryKey({ columns: [t.inboxId, t.waId] }),
    index("chats_recent_idx").on(t.inboxId, t.lastMessageTimestamp, t.lastMessageSeq),
    index("chats_assigned_user_idx").on(t.inboxId, t.assignedToUser),
    index("chats_assigned_group_idx").on(t.inboxId, t.assignedGroup),
  ],
);

export const messages = sqliteTable(
  "messages",
  {
    // A plain rowid key: AUTOINCREMENT would write its sqlite_sequence row on every insert.
    // Ids of purged messages may come back; every row keyed by a message id goes with it.
    id: integer().primaryKey(),
    inboxId: text().notNull(),
    /** WhatsApp's message id. */
    wamid: text().notNull(),
    waId: text().notNull(),
    fromUs: integer({ mode: "boolean" }).notNull(),
    timestamp: integer().notNull(),
    /** Per-inbox order given by the inbox object: equal timestamps sort the same everywhere. */
    seq: integer().notNull(),
    type: text().notNull(),
    payload: text({ mode: "json" }).$type<Record<string, unknown>>().notNull(),
    /** `{sent, delivered, read, played: POSIX seconds, failed: {timestamp, errors}, ...}`: only ever gains keys. */
    statuses: text({ mode: "json" }).$type<Record<string, unknown>>().notNull().default(sql`'{}'`),
    senderUserId: integer(),
    contextWamid: text(),
    /** The media id in the payload (provider id inbound, our upload id outbound): who may read a file follows its chat. */
    mediaId: text(),
  },
  (t) => [
    uniqueIndex("messages_wamid_idx").on(t.inboxId, t.wamid),
    index("messages_recent_idx").on(t.inboxId, t.timestamp, t.seq),
    // A chat's history in order; `from_us` rides along so the per-user unread count
    // (`new_messages`: customer messages after a mark) is a range of this index alone.
    index("messages_chat_idx").on(t.inboxId, t.waId, t.timestamp, t.seq, t.fromUs),
    // Only messages with media: most are text, and an entry each would cost them ~50 bytes.
    index("messages_media_idx").on(t.inboxId, t.mediaId).where(sql`${t.mediaId} IS NOT NULL`),
  ],
);

/** Per user and chat: messages up to this timestamp count as received by that user. */
export const receivedMarks = sqliteTable(
  "received_marks",
  {
    userId: integer().notNull(),
    inboxId: text().notNull(),
    waId: text().notNull(),
    timestamp: integer().notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.inboxId, t.waId] })],
);

/** Media stored in R2 (inbound downloads and uploads); `state` shows failed downloads. */
export const media = sqliteTable(
  "media",
  {
    /** The provider's media id for inbound media (so `waba_payload` ids resolve directly), a UUID for uploads. */
    id: text().notNull(),
    inboxId: text().notNull(),
    mimeType: text(),
    sha256: text(),
    size: integer(),
    filename: text(),
    state: text({ enum: ["pending", "stored", "failed"] }).notNull(),
    attempts: integer().notNull().default(0),
    lastError: text(),
    /** Who uploaded it (null for inbound media): the uploader may read it before any message carries it. */
    uploadedBy: integer(),
    createdAt: integer().notNull().default(sql`(unixepoch())`),
  },
  (t) => [primaryKey({ columns: [t.inboxId, t.id] })],
);

/**
 * Webhook content that is not a message or status: changes of other fields
 * (`message_template_status_update`, `account_update`, ...), top-level `errors`, and
 * items that could not be read. Kept as received so nothing a provider sent is lost.
 */
export const providerEvents = sqliteTable(
  "provider_events",
  {
    id: integer().primaryKey({ autoIncrement: true }),
    inboxId: text().notNull(),
    kind: text({ enum: ["field", "error", "invalid"] }).notNull(),
    /** The change's field, or the reason an item was unreadable. */
    name: text().notNull(),
    /** As received; null when the item itself was null, or when it is kept only in the webhook body at `bodyKey`. */
    payload: text({ mode: "json" }).$type<unknown>(),
    /** R2 key of the whole webhook body, for items too deep or too large to keep in a row. */
    bodyKey: text(),
    receivedAt: integer().notNull().default(sql`(unixepoch())`),
  },
  (t) => [index("provider_events_inbox_idx").on(t.inboxId, t.id)],
);
