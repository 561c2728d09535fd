import { type AnyColumn, and, asc, desc, eq, gte, inArray, isNotNull, isNull, lte, or, type SQL, sql } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import type { ContactExtras } from "../../contacts/wire";
import type { Db } from "../client";
import {
  chats,
  contactFields,
  contactFieldValues,
  contactGroupMembers,
  contactGroups,
  contacts,
  contactUrns,
  stages,
  users,
} from "../schema";
import { chunks } from "./chunks";
import { workspaceShards } from "./inboxes";
import { known, type Read } from "./reads";

/**
 * The workspace contact model's reads and writes (services/workspace-contacts.ts is their
 * only caller). Every query takes the workspace.
 */

export type ContactRow = typeof contacts.$inferSelect;
export type UrnRow = { identity: string; scheme: string; path: string; position: number };

/** The first row of a one-statement read, or undefined. */
const firstRow = <T>(statement: BatchItem<"sqlite">): Read<T | undefined> => ({
  statements: [statement],
  read: ([rows]) => (rows as T[])[0],
});

/** The live contact holding the first of these URN identities that any contact holds (priority order). */
export function contactByIdentities(db: Db, workspaceId: string, identities: string[]): Read<ContactRow | undefined> {
  if (!identities.length) return known(undefined);
  const query = db
    .select({ contact: contacts, identity: contactUrns.identity })
    .from(contactUrns)
    .innerJoin(contacts, eq(contacts.id, contactUrns.contactId))
    .where(and(eq(contactUrns.workspaceId, workspaceId), inArray(contactUrns.identity, identities), isNull(contacts.deletedOn)));
  return {
    statements: [query],
    read([rows]) {
      const hits = rows as { contact: ContactRow; identity: string }[];
      for (const identity of identities) {
        const hit = hits.find((r) => r.identity === identity);
        if (hit) return hit.contact;
      }
      return undefined;
    },
  };
}

export function urnsOf(db: Db, contactId: number): Promise<UrnRow[]> {
  return db
    .select({ identity: contactUrns.identity, scheme: contactUrns.scheme, path: contactUrns.path, position: contactUrns.position })
    .from(contactUrns)
    .where(eq(contactUrns.contactId, contactId))
    .orderBy(asc(contactUrns.position));
}

type FieldRow = typeof contactFields.$inferSelect;

/** Which of these field keys the workspace has, with their definitions. */
export function fieldsByKeys(db: Db, workspaceId: string, keys: string[]): Read<FieldRow[]> {
  if (!keys.length) return known([]);
  const query = db
    .select()
    .from(contactFields)
    .where(and(eq(contactFields.workspaceId, workspaceId), inArray(contactFields.key, keys)));
  return { statements: [query], read: ([rows]) => rows as FieldRow[] };
}

export function stageById(db: Db, workspaceId: string, id: string): Read<{ id: string } | undefined> {
  return firstRow(
    db
      .select({ id: stages.id })
      .from(stages)
      .where(and(eq(stages.workspaceId, workspaceId), eq(stages.id, id))),
  );
}

export function activeUserByUuid(db: Db, workspaceId: string, uuid: string): Read<{ id: number } | undefined> {
  return firstRow(
    db
      .select({ id: users.id })
      .from(users)
      .where(and(eq(users.workspaceId, workspaceId), eq(users.uuid, uuid), eq(users.isActive, true))),
  );
}

type NewUrn = { scheme: string; path: string; identity: string; display?: string | null };

export function contactById(db: Db, workspaceId: string, id: number): Read<ContactRow | undefined> {
  return firstRow(
    db
      .select()
      .from(contacts)
      .where(and(eq(contacts.workspaceId, workspaceId), eq(contacts.id, id))),
  );
}

export function contactByUuid(db: Db, workspaceId: string, uuid: string): Read<ContactRow | undefined> {
  return firstRow(
    db
      .select()
      .from(contacts)
      .where(and(eq(contacts.workspaceId, workspaceId), eq(contacts.uuid, uuid))),
  );
}

export type FieldDefRow = Pick<FieldRow, "id" | "key" | "valueType" | "options" | "identifier">;

/** The workspace's field definitions, oldest first (a contact object lists every key). */
export function fieldDefs(db: Db, workspaceId: string): Read<FieldDefRow[]> {
  const query = db
    .select({
      id: contactFields.id,
      key: contactFields.key,
      valueType: contactFields.valueType,
      options: contactFields.options,
      identifier: contactFields.identifier,
    })
    .from(contactFields)
    .where(eq(contactFields.workspaceId, workspaceId))
    .orderBy(asc(contactFields.id));
  return { statements: [query], read: ([rows]) => rows as FieldDefRow[] };
}

export type ContactDetails = {
  urns: Map<number, (UrnRow & { display: string | null })[]>;
  groups: Map<number, { id: number; uuid: string; name: string }[]>;
  values: Map<number, Map<number, { text: string; typed: string | number | boolean | null }>>;
};

/** The three reads of contacts' details (URNs, groups, values) for the contacts `match` selects by id column. */
function detailQueries(db: Db, match: (contactId: AnyColumn) => SQL | undefined) {
  return [
    db
      .select({
        contactId: contactUrns.contactId,
        identity: contactUrns.identity,
        scheme: contactUrns.scheme,
        path: contactUrns.path,
        position: contactUrns.position,
        display: contactUrns.display,
      })
      .from(contactUrns)
      .where(match(contactUrns.contactId))
      .orderBy(asc(contactUrns.position)),
    db
      .select({ contactId: contactGroupMembers.contactId, id: contactGroups.id, uuid: contactGroups.uuid, name: contactGroups.name })
      .from(contactGroupMembers)
      .innerJoin(contactGroups, eq(contactGroups.id, contactGroupMembers.groupId))
      .where(match(contactGroupMembers.contactId))
      .orderBy(asc(contactGroups.nameKey)),
    db
      .select({
        contactId: contactFieldValues.contactId,
        fieldId: contactFieldValues.fieldId,
        text: contactFieldValues.text,
        typed: contactFieldValues.typed,
      })
      .from(contactFieldValues)
      .where(match(contactFieldValues.contactId)),
  ] as const;
}
type DetailRows = { [K in 0 | 1 | 2]: Awaited<ReturnType<typeof detailQueries>[K]> };

function collectDetails(urns: DetailRows[0], groups: DetailRows[1], values: DetailRows[2]): ContactDetails {
  const details: ContactDetails = { urns: new Map(), groups: new Map(), values: new Map() };
  const listOf = <V>(map: Map<number, V[]>, id: number) => {
    const list = map.get(id) ?? [];
    map.set(id, list);
    return list;
  };
  for (const { contactId, ...urn } of urns) listOf(details.urns, contactId).push(urn);
  for (const { contactId, ...group } of groups) listOf(details.groups, contactId).push(group);
  for (const { contactId, fieldId, text, typed } of values) {
    const byField = details.values.get(contactId) ?? new Map();
    byField.set(fieldId, { text, typed: typed ?? null });
    details.values.set(contactId, byField);
  }
  return details;
}

/** The URNs, groups and field values of these contacts, in one round trip (id lists chunked for D1's parameter cap). */
export function contactDetails(db: Db, contactIds: number[]): Read<ContactDetails> {
  const parts = chunks(contactIds);
  const queries = parts.map((ids) => detailQueries(db, (column) => inArray(column, ids)));
  const n = parts.length;
  return {
    // Every chunk's three reads: urns first, then groups, then values.
    statements: [0, 1, 2].flatMap((k) => queries.map((q) => q[k as 0 | 1 | 2])),
    read: (results) =>
      collectDetails(
        results.slice(0, n).flat() as DetailRows[0],
        results.slice(n, 2 * n).flat() as DetailRows[1],
        results.slice(2 * n).flat() as DetailRows[2],
      ),
  };
}

/** One contact and its details by uuid (a contact a write just made, read in the write's batch). */
function contactWithDetails(db: Db, workspaceId: string, uuid: string): Read<{ contact: ContactRow; details: ContactDetails }> {
  const id = sql`(SELECT id FROM contacts WHERE uuid = ${uuid} AND workspace_id = ${workspaceId})`;
  const [urns, groups, values] = detailQueries(db, (column) => sql`${column} = ${id}`);
  const contact = db
    .select()
    .from(contacts)
    .where(and(eq(contacts.workspaceId, workspaceId), eq(contacts.uuid, uuid)));
  return {
    statements: [contact, urns, groups, values],
    read(results) {
      const [rows, u, g, v] = results as [ContactRow[], DetailRows[0], DetailRows[1], DetailRows[2]];
      const found = rows[0];
      if (!found) throw new Error(`contact ${uuid} vanished after its write`);
      return { contact: found, details: collectDetails(u, g, v) };
    },
  };
}

export type ContactsFilter = {
  deleted: boolean;
  uuid?: string;
  /** A normalised URN identity. */
  identity?: string;
  groupId?: number;
  /** Inclusive bounds on `modified_on`, in microseconds. */
  before?: number;
  after?: number;
  reverse: boolean;
  /** Resume after this (modified_on, id). */
  position: [number, number] | null;
};

/** One keyset page of contacts, newest `modified_on` first (oldest with `reverse`), on (workspace, modified_on, id). */
export async function contactsPage(db: Db, workspaceId: string, f: ContactsFilter, limit: number): Promise<ContactRow[]> {
  const conditions: (SQL | undefined)[] = [
    eq(contacts.workspaceId, workspaceId),
    f.deleted ? isNotNull(contacts.deletedOn) : isNull(contacts.deletedOn),
    f.uuid !== undefined ? eq(contacts.uuid, f.uuid) : undefined,
    f.identity !== undefined
      ? inArray(
          contacts.id,
          db
            .select({ id: contactUrns.contactId })
            .from(contactUrns)
            .where(and(eq(contactUrns.workspaceId, workspaceId), eq(contactUrns.identity, f.identity))),
        )
      : undefined,
    f.groupId !== undefined
      ? inArray(
          contacts.id,
          db.select({ id: contactGroupMembers.contactId }).from(contactGroupMembers).where(eq(contactGroupMembers.groupId, f.groupId)),
        )
      : undefined,
    f.before !== undefined ? lte(contacts.modifiedOn, f.before) : undefined,
    f.after !== undefined ? gte(contacts.modifiedOn, f.after) : undefined,
    f.position
      ? f.reverse
        ? sql`(${contacts.modifiedOn}, ${contacts.id}) > (${f.position[0]}, ${f.position[1]})`
        : sql`(${contacts.modifiedOn}, ${contacts.id}) < (${f.position[0]}, ${f.position[1]})`
      : undefined,
  ];
  const order = f.reverse ? [asc(contacts.modifiedOn), asc(contacts.id)] : [desc(contacts.modifiedOn), desc(contacts.id)];
  return db
    .select()
    .from(contacts)
    .where(and(...conditions))
    .orderBy(...order)
    .limit(limit);
}

/** Which live contact holds each of these URN identities. */
export function urnOwners(db: Db, workspaceId: string, identities: string[]): Read<Map<string, number>> {
  return {
    statements: chunks(identities).map((part) =>
      db
        .select({ identity: contactUrns.identity, contactId: contactUrns.contactId })
        .from(contactUrns)
        .where(and(eq(contactUrns.workspaceId, workspaceId), inArray(contactUrns.identity, part))),
    ),
    read: (results) => new Map((results as { identity: string; contactId: number }[][]).flat().map((r) => [r.identity, r.contactId])),
  };
}

/** Which contact holds each of these identifier values of a field (`identity` as `identityOf` gives it), keyed `fieldId:identity`. */
export function identifierOwners(db: Db, workspaceId: string, pairs: { fieldId: number; identity: string }[]): Read<Map<string, number>> {
  return {
    statements: chunks(pairs, 45).map((part) =>
      db
        .select({ contactId: contactFieldValues.contactId, fieldId: contactFieldValues.fieldId, identity: contactFieldValues.identity })
        .from(contactFieldValues)
        .where(
          and(
            eq(contactFieldValues.workspaceId, workspaceId),
            or(...part.map((p) => and(eq(contactFieldValues.fieldId, p.fieldId), eq(contactFieldValues.identity, p.identity)))),
          ),
        ),
    ),
    read: (results) =>
      new Map(
        (results as { contactId: number; fieldId: number; identity: string }[][])
          .flat()
          .map((r) => [`${r.fieldId}:${r.identity}`, r.contactId]),
      ),
  };
}

export type ValueWrite = { fieldId: number; text: string; typed: string | number | boolean | null; identity: string | null };

/** Everything one write changes on one contact; absent parts stay as they are. */
export type ContactWrite = {
  set: Partial<Pick<ContactRow, "name" | "language" | "stageId" | "agentId" | "metaData" | "enhancedData" | "deletedOn">>;
  /** Replaces the URN list, in priority order. */
  urns?: NewUrn[];
  /** URNs appended after the current last one. */
  addUrns?: NewUrn[];
  /** Group ids, or for a group created in the same batch the subquery finding it. */
  addGroups?: (number | SQL)[];
  /** Leaves every membership but these (`[]`: all), before `addGroups` are added. */
  keepOnlyGroups?: number[];
  values?: ValueWrite[];
  clearValues?: number[];
  /** Removes every value (a soft delete). */
  clearAllValues?: boolean;
};

/**
 * One contact write as statements for one batch (one D1 transaction). `contactId` is the
 * row's id, or for a contact created in the same batch the subquery finding it by uuid.
 * Group counters move by `changes()`: a membership that already existed (or was already
 * gone) moves nothing, so concurrent writes never make a counter drift.
 */
export function contactWriteStatements(db: Db, workspaceId: string, contactId: number | SQL, write: ContactWrite, firstPosition = 0) {
  const byId = typeof contactId === "number" ? eq(contacts.id, contactId) : sql`${contacts.id} = ${contactId}`;
  const ofContact = <T extends { contactId: AnyColumn }>(t: T) =>
    typeof contactId === "number" ? eq(t.contactId, contactId) : sql`${t.contactId} = ${contactId}`;
  const out: BatchItem<"sqlite">[] = [];
  if (write.urns) {
    out.push(db.delete(contactUrns).where(ofContact(contactUrns)));
    out.push(...write.urns.map((u, position) => db.insert(contactUrns).values({ workspaceId, contactId, ...u, position })));
  }
  out.push(
    ...(write.addUrns ?? []).map((u, i) => db.insert(contactUrns).values({ workspaceId, contactId, ...u, position: firstPosition + i })),
  );
  const counter = (groupId: number | SQL, delta: SQL) =>
    db
      .update(contactGroups)
      .set({ memberCount: sql`${contactGroups.memberCount} ${delta}` })
      .where(typeof groupId === "number" ? eq(contactGroups.id, groupId) : sql`${contactGroups.id} = ${groupId}`);
  if (write.keepOnlyGroups) {
    // The counters first, while the memberships that go are still there to find them.
    const leaving = sql`${contactGroupMembers.groupId} NOT IN (SELECT value FROM json_each(${JSON.stringify(write.keepOnlyGroups)}))`;
    out.push(
      db
        .update(contactGroups)
        .set({ memberCount: sql`${contactGroups.memberCount} - 1` })
        .where(
          inArray(
            contactGroups.id,
            db
              .select({ id: contactGroupMembers.groupId })
              .from(contactGroupMembers)
              .where(and(ofContact(contactGroupMembers), leaving)),
          ),
        ),
      db.delete(contactGroupMembers).where(and(ofContact(contactGroupMembers), leaving)),
    );
  }
  for (const groupId of write.addGroups ?? []) {
    out.push(db.insert(contactGroupMembers).values({ groupId, contactId }).onConflictDoNothing(), counter(groupId, sql`+ changes()`));
  }
  if (write.clearAllValues) out.push(db.delete(contactFieldValues).where(ofContact(contactFieldValues)));
  for (const fieldId of write.clearValues ?? []) {
    out.push(db.delete(contactFieldValues).where(and(ofContact(contactFieldValues), eq(contactFieldValues.fieldId, fieldId))));
  }
  for (const v of write.values ?? []) {
    out.push(
      db
        .insert(contactFieldValues)
        .values({ contactId, workspaceId, ...v })
        .onConflictDoUpdate({
          target: [contactFieldValues.contactId, contactFieldValues.fieldId],
          set: { text: v.text, typed: v.typed, identity: v.identity },
        }),
    );
  }
  return { byId, statements: out };
}

/**
 * Writes a change to an existing contact, bumping `modified_on` past its last value, and
 * reads it back with its details in the same batch (one round trip); `before`: statements
 * of the same batch that come first (groups it joins).
 */
export async function saveContact(
  db: Db,
  contact: ContactRow,
  at: number,
  write: ContactWrite,
  firstPosition = 0,
  before: BatchItem<"sqlite">[] = [],
) {
  const { byId, statements } = contactWriteStatements(db, contact.workspaceId, contact.id, write, firstPosition);
  const written = contactWithDetails(db, contact.workspaceId, contact.uuid);
  const results = await db.batch([
    ...(before as [BatchItem<"sqlite">]),
    db
      .update(contacts)
      .set({ ...write.set, modifiedOn: Math.max(at, contact.modifiedOn + 1) })
      .where(byId),
    ...statements,
    ...written.statements,
  ]);
  return written.read(results.slice(-written.statements.length));
}

/**
 * Creates a contact with everything it starts with, read back with its details in the same
 * batch; a URN or identifier value another call took first fails the whole batch.
 */
export async function createContact(
  db: Db,
  workspaceId: string,
  uuid: string,
  at: number,
  write: ContactWrite,
  before: BatchItem<"sqlite">[] = [],
) {
  const contactId = sql`(SELECT id FROM contacts WHERE uuid = ${uuid})`;
  const { statements } = contactWriteStatements(db, workspaceId, contactId, write);
  const written = contactWithDetails(db, workspaceId, uuid);
  const results = await db.batch([
    ...(before as [BatchItem<"sqlite">]),
    db.insert(contacts).values({ uuid, workspaceId, createdOn: at, modifiedOn: at, ...write.set }),
    ...statements,
    ...written.statements,
  ]);
  return written.read(results.slice(-written.statements.length));
}

export function contactExtras(db: Db, contact: ContactRow): Read<ContactExtras> {
  return {
    statements: [
      db
        .select({ id: stages.id, name: stages.name })
        .from(stages)
        .where(eq(stages.id, contact.stageId ?? "")),
      db
        .select({ id: users.id, uuid: users.uuid, username: users.username, email: users.email })
        .from(users)
        .where(eq(users.id, contact.agentId ?? -1)),
    ],
    read: ([stage, agent]) => ({
      stage: (stage as NonNullable<ContactExtras["stage"]>[])[0] ?? null,
      agent: (agent as NonNullable<ContactExtras["agent"]>[])[0] ?? null,
    }),
  };
}

/** Whether any inbox of the workspace has a chat with one of these wa_ids. */
export async function hasChat(db: Db, workspaceId: string, waIds: string[]): Promise<boolean> {
  return (await chatsOf(db, workspaceId, waIds)).length > 0;
}

/** The chats of the workspace with these wa_ids, by inbox (shard by shard). */
export async function chatsOf(db: Db, workspaceId: string, waIds: string[]): Promise<{ inboxId: string; waId: string }[]> {
  if (!waIds.length) return [];
  const found = await Promise.all(
    (await workspaceShards(db, workspaceId)).map(({ shard, inboxIds }) =>
      shard
        .select({ inboxId: chats.inboxId, waId: chats.waId })
        .from(chats)
        .where(and(inArray(chats.inboxId, inboxIds), inArray(chats.waId, waIds))),
    ),
  );
  return found.flat();
}

/** The hard delete of a contact: its URNs, values and memberships (counters follow) go with it. */
export async function deleteContactRow(db: Db, contact: ContactRow) {
  const { statements } = contactWriteStatements(db, contact.workspaceId, contact.id, { set: {}, keepOnlyGroups: [] });
  await db.batch([...(statements as [BatchItem<"sqlite">]), db.delete(contacts).where(eq(contacts.id, contact.id))]);
}

export async function activeUserByEmail(db: Db, workspaceId: string, email: string) {
  return db
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.workspaceId, workspaceId), sql`lower(${users.email}) = ${email.toLowerCase()}`, eq(users.isActive, true)))
    .get();
}
