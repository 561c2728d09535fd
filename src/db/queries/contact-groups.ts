import { and, asc, desc, eq, inArray, or, type SQL, sql } from "drizzle-orm";
import type { Db } from "../client";
import { contactGroupMembers, contactGroups, contacts } from "../schema";
import type { Read } from "./reads";

/** The workspace's contact groups (RapidPro v2's groups, Polser's labels). Every query takes the workspace. */

export type GroupRow = typeof contactGroups.$inferSelect;

/** Names are unique among the workspace's groups ignoring case; the UNIQUE index on this key is the check. */
export const groupNameKey = (name: string) => name.toLowerCase();

export type GroupsFilter = { uuid?: string; nameKey?: string; reverse: boolean; position: [number, number] | null };

/**
 * A keyset page, newest first (oldest with `reverse`); await it, or `.toSQL()` it for a
 * query plan. The workspace prefix of `contact_groups_name_idx` finds the rows (a uuid or
 * name filter its own index); the sort that follows is over the workspace's groups, a few
 * hundred at most.
 */
export function groupsPage(db: Db, workspaceId: string, f: GroupsFilter, limit: number) {
  const after = f.position
    ? f.reverse
      ? sql`(${contactGroups.createdOn}, ${contactGroups.id}) > (${f.position[0]}, ${f.position[1]})`
      : sql`(${contactGroups.createdOn}, ${contactGroups.id}) < (${f.position[0]}, ${f.position[1]})`
    : undefined;
  const order = f.reverse ? [asc(contactGroups.createdOn), asc(contactGroups.id)] : [desc(contactGroups.createdOn), desc(contactGroups.id)];
  return db
    .select()
    .from(contactGroups)
    .where(
      and(
        eq(contactGroups.workspaceId, workspaceId),
        f.uuid !== undefined ? eq(contactGroups.uuid, f.uuid) : undefined,
        f.nameKey !== undefined ? eq(contactGroups.nameKey, f.nameKey) : undefined,
        after,
      ),
    )
    .orderBy(...order)
    .limit(limit);
}

export async function groupByUuid(db: Db, workspaceId: string, uuid: string): Promise<GroupRow | undefined> {
  return db
    .select()
    .from(contactGroups)
    .where(and(eq(contactGroups.workspaceId, workspaceId), eq(contactGroups.uuid, uuid)))
    .get();
}

/** The live group with this name ignoring case (on `contact_groups_name_idx`); await it, or `.toSQL()` it for a query plan. */
export function groupByNameKey(db: Db, workspaceId: string, nameKey: string) {
  return db
    .select()
    .from(contactGroups)
    .where(and(eq(contactGroups.workspaceId, workspaceId), eq(contactGroups.nameKey, nameKey)));
}

/** The groups having one of these uuids or name keys (two index lookups per chunk, within D1's 100 parameters). */
export function groupsByUuidsOrNameKeys(db: Db, workspaceId: string, uuids: string[], nameKeys: string[]): Read<GroupRow[]> {
  const size = 45;
  const statements = [];
  for (let i = 0; i < Math.max(uuids.length, nameKeys.length); i += size) {
    const u = uuids.slice(i, i + size);
    const n = nameKeys.slice(i, i + size);
    statements.push(
      db
        .select()
        .from(contactGroups)
        .where(
          and(
            eq(contactGroups.workspaceId, workspaceId),
            or(u.length ? inArray(contactGroups.uuid, u) : undefined, n.length ? inArray(contactGroups.nameKey, n) : undefined),
          ),
        ),
    );
  }
  return { statements, read: (results) => (results as GroupRow[][]).flat() };
}

export function groupCount(db: Db, workspaceId: string): Read<number> {
  const query = db.select({ n: sql<number>`count(*)` }).from(contactGroups).where(eq(contactGroups.workspaceId, workspaceId));
  return { statements: [query], read: ([rows]) => (rows as { n: number }[])[0]?.n ?? 0 };
}

/**
 * The statement creating a group, for a batch of its own or of another write (a contact
 * write that creates its labels). A name taken first fails the batch on the unique name
 * index.
 */
export function insertGroupStatement(db: Db, workspaceId: string, group: { uuid: string; name: string; at: number }) {
  return db
    .insert(contactGroups)
    .values({ uuid: group.uuid, workspaceId, name: group.name, nameKey: groupNameKey(group.name), createdOn: group.at });
}

/** A group created earlier in the same batch, by its uuid: where its integer id is needed (memberships). */
export const groupIdByUuid = (uuid: string): SQL => sql`(SELECT id FROM contact_groups WHERE uuid = ${uuid})`;

/**
 * Creates a group unless the workspace has `limit` already (then undefined). The batch is
 * one transaction and D1 runs one write at a time: a group past the limit is taken back
 * before anyone can see it, so concurrent creations cannot pass the limit together.
 */
export async function insertGroup(db: Db, workspaceId: string, group: { uuid: string; name: string; at: number }, limit: number) {
  const ofWorkspace = eq(contactGroups.workspaceId, workspaceId);
  const [, , rows] = await db.batch([
    insertGroupStatement(db, workspaceId, group),
    db
      .delete(contactGroups)
      .where(
        and(eq(contactGroups.uuid, group.uuid), sql`(SELECT count(*) FROM contact_groups WHERE workspace_id = ${workspaceId}) > ${limit}`),
      ),
    db
      .select()
      .from(contactGroups)
      .where(and(ofWorkspace, eq(contactGroups.uuid, group.uuid))),
  ]);
  return rows[0];
}

export async function renameGroup(db: Db, workspaceId: string, id: number, name: string): Promise<GroupRow | undefined> {
  return db
    .update(contactGroups)
    .set({ name, nameKey: groupNameKey(name) })
    .where(and(eq(contactGroups.workspaceId, workspaceId), eq(contactGroups.id, id)))
    .returning()
    .get();
}

/**
 * Moves the `modified_on` of a group's members past its last value (so clients syncing by
 * modification time see the change). The unary `+` keeps the workspace check off
 * `contacts_modified_idx`, which SQLite would otherwise walk whole: the members are found
 * by the membership key's group prefix, then each contact by its id.
 */
export function touchMembersStatement(db: Db, workspaceId: string, groupId: number, at: number) {
  const members = db
    .select({ id: contactGroupMembers.contactId })
    .from(contactGroupMembers)
    .where(eq(contactGroupMembers.groupId, groupId));
  return db
    .update(contacts)
    .set({ modifiedOn: sql`max(${at}, ${contacts.modifiedOn} + 1)` })
    .where(and(sql`+${contacts.workspaceId} = ${workspaceId}`, inArray(contacts.id, members)));
}

/** Deletes a group and its memberships in one batch, its members touched first. */
export async function deleteGroup(db: Db, workspaceId: string, id: number, at: number): Promise<void> {
  await db.batch([
    touchMembersStatement(db, workspaceId, id, at),
    db.delete(contactGroupMembers).where(eq(contactGroupMembers.groupId, id)),
    db.delete(contactGroups).where(and(eq(contactGroups.workspaceId, workspaceId), eq(contactGroups.id, id))),
  ]);
}
