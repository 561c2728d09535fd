import { and, eq, inArray, sql } from "drizzle-orm";
import { type Db, DIRECTORY, rememberShard, shardOf } from "../client";
import { inboxes } from "../schema";

export type Inbox = typeof inboxes.$inferSelect;
export type NewInbox = Omit<typeof inboxes.$inferInsert, "id" | "createdAt">;

export async function insertInbox(db: Db, values: NewInbox): Promise<Inbox> {
  const inbox = (await db
    .insert(inboxes)
    .values({ ...values, id: crypto.randomUUID() })
    .returning()
    .get()) as Inbox;
  rememberShard(inbox);
  return inbox;
}

/**
 * Where a new inbox goes, of the shards new inboxes are placed on (`SHARDS`): beside the
 * workspace's other inboxes, so its workspace-wide reads (persons, contacts' chats) stay on
 * one database; a new workspace to the shard holding fewest inboxes (ties: the first
 * listed). The directory when no shard is declared.
 */
export async function placement(db: Db, shards: string[], workspaceId: string): Promise<string> {
  if (!shards.length) return DIRECTORY;
  const rows = await db
    .select({ shard: inboxes.shard, n: sql<number>`count(*)`, own: sql<number>`sum(${inboxes.workspaceId} = ${workspaceId})` })
    .from(inboxes)
    .where(inArray(inboxes.shard, shards))
    .groupBy(inboxes.shard);
  const home = rows.filter((r) => r.own > 0).sort((a, b) => b.own - a.own)[0];
  if (home) return home.shard;
  const held = new Map(rows.map((r) => [r.shard, r.n]));
  return shards.reduce((best, s) => ((held.get(s) ?? 0) < (held.get(best) ?? 0) ? s : best));
}

export async function updateInbox(db: Db, workspaceId: string, id: string, values: Partial<NewInbox>): Promise<Inbox | undefined> {
  return db
    .update(inboxes)
    .set(values)
    .where(and(eq(inboxes.workspaceId, workspaceId), eq(inboxes.id, id)))
    .returning()
    .get();
}

export async function getInbox(db: Db, workspaceId: string, id: string): Promise<Inbox | undefined> {
  return db
    .select()
    .from(inboxes)
    .where(and(eq(inboxes.workspaceId, workspaceId), eq(inboxes.id, id)))
    .get();
}

export async function listInboxes(db: Db, workspaceId: string, limit: number, offset: number) {
  const where = eq(inboxes.workspaceId, workspaceId);
  const [rows, [total]] = await db.batch([
    db.select().from(inboxes).where(where).orderBy(sql`rowid`).limit(limit).offset(offset),
    db.select({ count: sql<number>`count(*)` }).from(inboxes).where(where),
  ]);
  return { rows, count: total?.count ?? 0 };
}

/**
 * Resolves the inbox a request addresses. Unscoped by design: this is how a
 * request finds its tenant in the first place (by path id, hostname, or the
 * default workspace's first inbox); credentials are checked against it afterwards.
 */
export async function findInboxForRequest(
  db: Db,
  by: { id: string } | { hostname: string } | { workspaceId: string },
): Promise<Inbox | undefined> {
  const where =
    "id" in by ? eq(inboxes.id, by.id) : "hostname" in by ? eq(inboxes.hostname, by.hostname) : eq(inboxes.workspaceId, by.workspaceId);
  return db.select().from(inboxes).where(where).orderBy(sql`rowid`).limit(1).get();
}

export async function inboxIdsOf(db: Db, workspaceId: string): Promise<string[]> {
  return (await db.select({ id: inboxes.id }).from(inboxes).where(eq(inboxes.workspaceId, workspaceId))).map((r) => r.id);
}

/** The workspace's inboxes with their numbers, oldest first. */
export async function numbersOf(
  db: Db,
  workspaceId: string,
): Promise<{ id: string; phoneNumber: string | null; provider: Inbox["provider"] }[]> {
  return db
    .select({ id: inboxes.id, phoneNumber: inboxes.phoneNumber, provider: inboxes.provider })
    .from(inboxes)
    .where(eq(inboxes.workspaceId, workspaceId))
    .orderBy(inboxes.createdAt, sql`rowid`);
}

/** The shards holding a workspace's inboxes, each with those inboxes (for queries across a workspace's traffic). */
export async function workspaceShards(db: Db, workspaceId: string): Promise<{ shard: Db; inboxIds: string[] }[]> {
  const rows = await db.select({ id: inboxes.id, shard: inboxes.shard }).from(inboxes).where(eq(inboxes.workspaceId, workspaceId));
  const by = new Map<string, string[]>();
  for (const r of rows) {
    rememberShard(r);
    by.set(r.shard, [...(by.get(r.shard) ?? []), r.id]);
  }
  return Promise.all([...by.values()].map(async (inboxIds) => ({ shard: await shardOf(db, inboxIds[0] as string), inboxIds })));
}
