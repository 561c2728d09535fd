import { and, desc, eq, sql } from "drizzle-orm";
import type { Db } from "../client";
import { apiKeys } from "../schema";

export type ApiKey = typeof apiKeys.$inferSelect;

export async function insertApiKey(
  db: Db,
  values: { workspaceId: string; name: string; keyHash: string; prefix: string },
): Promise<ApiKey> {
  return (await db
    .insert(apiKeys)
    .values({ ...values, id: crypto.randomUUID() })
    .returning()
    .get()) as ApiKey;
}

/** A workspace's keys, newest first. */
export async function listApiKeys(db: Db, workspaceId: string, limit: number, offset: number) {
  const where = eq(apiKeys.workspaceId, workspaceId);
  const [rows, [total]] = await db.batch([
    db.select().from(apiKeys).where(where).orderBy(desc(apiKeys.createdAt), desc(sql`rowid`)).limit(limit).offset(offset),
    db.select({ n: sql<number>`count(*)` }).from(apiKeys).where(where),
  ]);
  return { rows, count: total?.n ?? 0 };
}

/** Revokes at once: the row goes. False when the workspace has no such key. */
export async function deleteApiKey(db: Db, workspaceId: string, id: string): Promise<boolean> {
  const gone = await db
    .delete(apiKeys)
    .where(and(eq(apiKeys.workspaceId, workspaceId), eq(apiKeys.id, id)))
    .returning({ id: apiKeys.id });
  return gone.length > 0;
}

/** The key with this SHA-256 (the index on the hash is the constant-time part: no key is compared in code). */
export async function apiKeyByHash(db: Db, keyHash: string): Promise<ApiKey | undefined> {
  return db.select().from(apiKeys).where(eq(apiKeys.keyHash, keyHash)).get();
}

/** Records a use, coarsely: at most one write per key per `every` seconds. */
export async function touchApiKey(db: Db, id: string, at: number, every: number): Promise<void> {
  await db
    .update(apiKeys)
    .set({ lastUsedAt: at })
    .where(and(eq(apiKeys.id, id), sql`coalesce(${apiKeys.lastUsedAt}, 0) < ${at - every}`));
}
