import { and, asc, eq, sql } from "drizzle-orm";
import type { Db } from "../client";
import { contacts, stages } from "../schema";

/** The workspace's pipeline stages (seed 003's `stageId`): a contact is in at most one. */
export type Stage = typeof stages.$inferSelect;
export type StageChanges = { name?: string; position?: number };

/** Names are unique in the workspace ignoring case; the UNIQUE index on this key is the check. */
const nameKey = (name: string) => name.toLowerCase();

const one = (workspaceId: string, id: string) => and(eq(stages.workspaceId, workspaceId), eq(stages.id, id));

/** By position, then name: positions need not be distinct, and `name_key` is, so pages never overlap. */
export async function listStages(db: Db, workspaceId: string, limit: number, offset: number) {
  const where = eq(stages.workspaceId, workspaceId);
  const [rows, [total]] = await db.batch([
    db.select().from(stages).where(where).orderBy(asc(stages.position), asc(stages.nameKey)).limit(limit).offset(offset),
    db.select({ n: sql<number>`count(*)` }).from(stages).where(where),
  ]);
  return { rows, count: total?.n ?? 0 };
}

export async function getStage(db: Db, workspaceId: string, id: string): Promise<Stage | undefined> {
  return db.select().from(stages).where(one(workspaceId, id)).get();
}

/**
 * Without a position the stage goes after the last one; the subquery is part of the
 * INSERT, so two concurrent creations read the maximum inside their own statement.
 */
export async function insertStage(db: Db, workspaceId: string, name: string, position: number | undefined): Promise<Stage> {
  const after = sql<number>`(SELECT coalesce(max(position) + 1, 0) FROM stages WHERE workspace_id = ${workspaceId})`;
  const row = await db
    .insert(stages)
    .values({ id: crypto.randomUUID(), workspaceId, name, nameKey: nameKey(name), position: position ?? after })
    .returning()
    .get();
  if (!row) throw new Error("stage insert returned nothing");
  return row;
}

export async function updateStage(db: Db, workspaceId: string, id: string, changes: StageChanges): Promise<Stage | undefined> {
  const set = {
    ...(changes.name !== undefined && { name: changes.name, nameKey: nameKey(changes.name) }),
    ...(changes.position !== undefined && { position: changes.position }),
  };
  if (Object.keys(set).length === 0) return getStage(db, workspaceId, id);
  return db.update(stages).set(set).where(one(workspaceId, id)).returning().get();
}

/**
 * Deletes a stage and takes it off its contacts in one batch. The `contacts.stage_id`
 * foreign key (ON DELETE SET NULL, enforced by D1) would clear it too, but silently:
 * the explicit update also moves `modified_on`, so clients syncing contacts by
 * modification time see the change.
 */
export async function deleteStage(db: Db, workspaceId: string, id: string): Promise<void> {
  const modifiedOn = Date.now() * 1000; // contacts' times are POSIX microseconds
  await db.batch([
    db
      .update(contacts)
      .set({ stageId: null, modifiedOn })
      .where(and(eq(contacts.workspaceId, workspaceId), eq(contacts.stageId, id))),
    db.delete(stages).where(one(workspaceId, id)),
  ]);
}
