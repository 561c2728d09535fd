import { and, asc, count, eq } from "drizzle-orm";
import type { UpstreamTemplate } from "../../providers/templates";
import type { Db } from "../client";
import { templates } from "../schema";
import { chunks } from "./chunks";
import { finishRefresh } from "./upstream-syncs";

export type TemplateRow = typeof templates.$inferSelect;

export async function listTemplates(db: Db, inboxId: string, limit: number, offset: number) {
  const where = eq(templates.inboxId, inboxId);
  const [rows, [total]] = await db.batch([
    db.select().from(templates).where(where).orderBy(asc(templates.name), asc(templates.language)).limit(limit).offset(offset),
    db.select({ n: count() }).from(templates).where(where),
  ]);
  return { rows, count: total?.n ?? 0 };
}

export async function templatesNamed(db: Db, inboxId: string, name: string): Promise<TemplateRow[]> {
  return db
    .select()
    .from(templates)
    .where(and(eq(templates.inboxId, inboxId), eq(templates.name, name)));
}

export async function approvedTemplates(db: Db, inboxId: string): Promise<TemplateRow[]> {
  return db
    .select()
    .from(templates)
    .where(and(eq(templates.inboxId, inboxId), eq(templates.status, "approved")))
    .orderBy(asc(templates.name), asc(templates.language));
}

const rowOf = (inboxId: string, t: UpstreamTemplate) => ({ inboxId, ...t });

/** Adds or replaces one template (name and language are its key). */
export async function upsertTemplate(db: Db, inboxId: string, t: UpstreamTemplate): Promise<void> {
  const row = rowOf(inboxId, t);
  await db
    .insert(templates)
    .values(row)
    .onConflictDoUpdate({ target: [templates.inboxId, templates.name, templates.language], set: row });
}

export async function deleteTemplatesNamed(db: Db, inboxId: string, name: string): Promise<void> {
  await db.delete(templates).where(and(eq(templates.inboxId, inboxId), eq(templates.name, name)));
}

/**
 * Replaces the inbox's cached templates with the upstream's list and records the sync
 * (claimed at `at` by `claimRefresh`), in one batch (D1 runs a batch as one transaction): a reader sees the old list or the new.
 */
export async function replaceTemplates(db: Db, inboxId: string, list: UpstreamTemplate[], namespace: string | null, at: number) {
  // Eight columns a row: eleven rows stay under D1's 100 parameters per statement.
  const inserts = chunks(list, 11).map((c) => db.insert(templates).values(c.map((t) => rowOf(inboxId, t))));
  await db.batch([
    db.delete(templates).where(eq(templates.inboxId, inboxId)),
    ...inserts,
    finishRefresh(db, inboxId, "templates", at, { namespace }),
  ]);
}

/** Applies a `message_template_status_update` (Cloud names the template and its language). */
export async function setTemplateStatus(
  db: Db,
  inboxId: string,
  update: { name: string; language: string; status: string; reason: string | null },
) {
  await db
    .update(templates)
    .set({ status: update.status, rejectedReason: update.reason })
    .where(and(eq(templates.inboxId, inboxId), eq(templates.name, update.name), eq(templates.language, update.language)));
}
