import { sql } from "drizzle-orm";
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { workspaces } from "./tenancy";
import { users } from "./users";

/**
 * The workspace's contacts: one model behind RapidPro v2, the Polser webhook and seed
 * 003's create-or-find, and the person behind the workspace's WhatsApp chats (linked by
 * URN: `whatsapp:<wa_id>`, else `tel:+<wa_id>`). Times are POSIX microseconds, so
 * `modified_on` moves on every change and keyset pages never tie.
 */

/** Polser's `enhanced_data`: named sections, each a list of items. */
export type EnhancedItem = { text: string; description?: string; link?: string };

export const stages = sqliteTable(
  "stages",
  {
    id: text().primaryKey(),
    workspaceId: text()
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    name: text().notNull(),
    /** lower(name): names are unique in the workspace ignoring case. */
    nameKey: text().notNull(),
    position: integer().notNull(),
  },
  (t) => [uniqueIndex("stages_name_idx").on(t.workspaceId, t.nameKey), index("stages_position_idx").on(t.workspaceId, t.position)],
);

export const contacts = sqliteTable(
  "contacts",
  {
    id: integer().primaryKey({ autoIncrement: true }),
    uuid: text().notNull(),
    workspaceId: text()
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    name: text(),
    /** ISO 639-3. */
    language: text(),
    status: text({ enum: ["active", "blocked", "stopped"] })
      .notNull()
      .default("active"),
    /** v2's soft delete: the tombstone stays, its URNs, groups and values go. */
    deletedOn: integer(),
    stageId: text().references(() => stages.id, { onDelete: "set null" }),
    agentId: integer().references(() => users.id, { onDelete: "set null" }),
    metaData: text({ mode: "json" }).$type<Record<string, unknown>>().notNull().default(sql`'{}'`),
    enhancedData: text({ mode: "json" }).$type<Record<string, EnhancedItem[]>>().notNull().default(sql`'{}'`),
    createdOn: integer().notNull(),
    modifiedOn: integer().notNull(),
    lastSeenOn: integer(),
  },
  (t) => [
    uniqueIndex("contacts_uuid_idx").on(t.uuid),
    index("contacts_modified_idx").on(t.workspaceId, t.modifiedOn, t.id),
    index("contacts_stage_idx").on(t.stageId),
  ],
);

/** A contact's addresses, in priority order; a URN belongs to at most one live contact of a workspace. */
export const contactUrns = sqliteTable(
  "contact_urns",
  {
    id: integer().primaryKey({ autoIncrement: true }),
    workspaceId: text()
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    contactId: integer()
      .notNull()
      .references(() => contacts.id, { onDelete: "cascade" }),
    scheme: text().notNull(),
    path: text().notNull(),
    /** `scheme:path`, normalised. */
    identity: text().notNull(),
    display: text(),
    position: integer().notNull(),
  },
  (t) => [
    uniqueIndex("contact_urns_identity_idx").on(t.workspaceId, t.identity),
    index("contact_urns_contact_idx").on(t.contactId, t.position),
  ],
);

export const contactFields = sqliteTable(
  "contact_fields",
  {
    id: integer().primaryKey({ autoIncrement: true }),
    workspaceId: text()
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    key: text().notNull(),
    label: text().notNull(),
    /** lower(label): labels are unique in the workspace ignoring case. */
    labelKey: text().notNull(),
    /** text, numeric, datetime, date, boolean, options, state, district, ward */
    valueType: text().notNull(),
    options: text({ mode: "json" }).$type<string[]>(),
    /** Seed 003's deduplicating fields: a value belongs to at most one contact. */
    identifier: integer({ mode: "boolean" }).notNull().default(false),
    pinned: integer({ mode: "boolean" }).notNull().default(false),
    createdOn: integer().notNull(),
  },
  (t) => [
    uniqueIndex("contact_fields_key_idx").on(t.workspaceId, t.key),
    uniqueIndex("contact_fields_label_idx").on(t.workspaceId, t.labelKey),
    index("contact_fields_created_idx").on(t.workspaceId, t.createdOn, t.id),
  ],
);

/** A field's value on a contact: the text as given and, when it parses as the field's type, the typed value. */
export const contactFieldValues = sqliteTable(
  "contact_field_values",
  {
    contactId: integer()
      .notNull()
      .references(() => contacts.id, { onDelete: "cascade" }),
    fieldId: integer()
      .notNull()
      .references(() => contactFields.id, { onDelete: "cascade" }),
    workspaceId: text().notNull(),
    text: text().notNull(),
    /** The typed value as JSON (number, boolean, date or datetime string), null when the text does not parse. */
    typed: text({ mode: "json" }).$type<string | number | boolean | null>(),
    /** Set for identifier fields only: the normalised value, unique per field. */
    identity: text(),
  },
  (t) => [
    primaryKey({ columns: [t.contactId, t.fieldId] }),
    uniqueIndex("contact_field_values_identity_idx").on(t.workspaceId, t.fieldId, t.identity),
  ],
);

export const contactGroups = sqliteTable(
  "contact_groups",
  {
    id: integer().primaryKey({ autoIncrement: true }),
    uuid: text().notNull(),
    workspaceId: text()
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    name: text().notNull(),
    nameKey: text().notNull(),
    /** Live members, kept by every membership write: counts never scan. */
    memberCount: integer().notNull().default(0),
    createdOn: integer().notNull(),
  },
  (t) => [
    uniqueIndex("contact_groups_uuid_idx").on(t.uuid),
    uniqueIndex("contact_groups_name_idx").on(t.workspaceId, t.nameKey),
    index("contact_groups_created_idx").on(t.workspaceId, t.createdOn, t.id),
  ],
);

export const contactGroupMembers = sqliteTable(
  "contact_group_members",
  {
    groupId: integer()
      .notNull()
      .references(() => contactGroups.id, { onDelete: "cascade" }),
    contactId: integer()
      .notNull()
      .references(() => contacts.id, { onDelete: "cascade" }),
  },
  (t) => [primaryKey({ columns: [t.groupId, t.contactId] }), index("contact_group_members_contact_idx").on(t.contactId)],
);
