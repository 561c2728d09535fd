import { and, asc, eq, inArray, isNull, sql } from "drizzle-orm";
import type { Db } from "../client";
import { contactFields, contacts, contactUrns, stages, users } from "../schema";

/**
 * The workspace contact model's reads and writes (services/workspace-contacts.ts is their
 * only caller). Every query takes the workspace.
 */

export type ContactRow = typeof contacts.$inferSelect;
export type UrnRow = { identity: string; scheme: string; path: string; position: number };

/** The live contact holding the first of these URN identities that any contact holds (priority order). */
export async function contactByIdentities(db: Db, workspaceId: string, identities: string[]): Promise<ContactRow | undefined> {
  const rows = await db
    .select({ contact: contacts, identity: contactUrns.identity })
    .from(contactUrns)
    .innerJoin(contacts, eq(contacts.id, contactUrns.contactId))
    .where(and(eq(contactUrns.workspaceId, workspaceId), inArray(contactUrns.identity, identities), isNull(contacts.deletedOn)));
  for (const identity of identities) {
    const hit = rows.find((r) => r.identity === identity);
    if (hit) return hit.contact;
  }
  return undefined;
}

export async function urnsOf(db: Db, contactId: number): Promise<UrnRow[]> {
  return db
    .select({ identity: contactUrns.identity, scheme: contactUrns.scheme, path: contactUrns.path, position: contactUrns.position })
    .from(contactUrns)
    .where(eq(contactUrns.contactId, contactId))
    .orderBy(asc(contactUrns.position));
}

/** Which of these field keys the workspace has, with their definitions. */
export async function fieldsByKeys(db: Db, workspaceId: string, keys: string[]) {
  if (!keys.length) return [];
  return db
    .select()
    .from(contactFields)
    .where(and(eq(contactFields.workspaceId, workspaceId), inArray(contactFields.key, keys)));
}

export async function stageExists(db: Db, workspaceId: string, id: string): Promise<boolean> {
  return !!(await db
    .select({ id: stages.id })
    .from(stages)
    .where(and(eq(stages.workspaceId, workspaceId), eq(stages.id, id)))
    .get());
}

export async function activeUserByUuid(db: Db, workspaceId: string, uuid: string) {
  return db
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.workspaceId, workspaceId), eq(users.uuid, uuid), eq(users.isActive, true)))
    .get();
}

type NewUrn = { scheme: string; path: string; identity: string };
type Changes = Partial<Pick<ContactRow, "name" | "stageId" | "agentId" | "metaData">>;

/**
 * Creates a contact with its URNs in one batch (one D1 transaction). The unique index on
 * (workspace, identity) decides races: a URN another call took first fails the whole
 * batch, and the caller finds that contact instead.
 */
export async function insertContact(db: Db, workspaceId: string, uuid: string, at: number, values: Changes, urns: NewUrn[]) {
  const contactId = sql`(SELECT id FROM contacts WHERE uuid = ${uuid})`;
  await db.batch([
    db.insert(contacts).values({ uuid, workspaceId, createdOn: at, modifiedOn: at, ...values }),
    ...urns.map((u, position) => db.insert(contactUrns).values({ workspaceId, contactId, ...u, position })),
  ]);
}

/** Changes a contact and appends URNs (after its last), bumping `modified_on`, in one batch. */
export async function updateContact(db: Db, contact: ContactRow, at: number, values: Changes, addUrns: NewUrn[], firstPosition: number) {
  await db.batch([
    db
      .update(contacts)
      .set({ ...values, modifiedOn: Math.max(at, contact.modifiedOn + 1) })
      .where(eq(contacts.id, contact.id)),
    ...addUrns.map((u, i) =>
      db.insert(contactUrns).values({ workspaceId: contact.workspaceId, contactId: contact.id, ...u, position: firstPosition + i }),
    ),
  ]);
}

export async function contactByUuid(db: Db, workspaceId: string, uuid: string): Promise<ContactRow | undefined> {
  return db
    .select()
    .from(contacts)
    .where(and(eq(contacts.workspaceId, workspaceId), eq(contacts.uuid, uuid)))
    .get();
}
