import { and, desc, eq, type SQL, sql } from "drizzle-orm";
import type { Db } from "../client";
import { savedResponses, users } from "../schema";

export type SavedResponse = typeof savedResponses.$inferSelect & { username: string | null };

const columns = {
  id: savedResponses.id,
  workspaceId: savedResponses.workspaceId,
  text: savedResponses.text,
  createdBy: savedResponses.createdBy,
  createdAt: savedResponses.createdAt,
  username: users.username,
};

/** Newest first; `search` matches anywhere in the text, any case (instr: D1 caps LIKE patterns at 50 bytes). */
export async function listSavedResponses(db: Db, workspaceId: string, search: string | undefined, limit: number, offset: number) {
  const where: SQL | undefined = and(
    eq(savedResponses.workspaceId, workspaceId),
    search ? sql`instr(lower(${savedResponses.text}), ${search.toLowerCase()}) > 0` : undefined,
  );
  const [rows, [total]] = await db.batch([
    db
      .select(columns)
      .from(savedResponses)
      .leftJoin(users, eq(users.id, savedResponses.createdBy))
      .where(where)
      .orderBy(desc(savedResponses.id))
      .limit(limit)
      .offset(offset),
    db.select({ n: sql<number>`count(*)` }).from(savedResponses).where(where),
  ]);
  return { rows: rows as SavedResponse[], count: total?.n ?? 0 };
}

export async function getSavedResponse(db: Db, workspaceId: string, id: number): Promise<SavedResponse | undefined> {
  return (await db
    .select(columns)
    .from(savedResponses)
    .leftJoin(users, eq(users.id, savedResponses.createdBy))
    .where(and(eq(savedResponses.workspaceId, workspaceId), eq(savedResponses.id, id)))
    .get()) as SavedResponse | undefined;
}

export async function insertSavedResponse(db: Db, workspaceId: string, text: string, createdBy: number): Promise<number> {
  const row = await db.insert(savedResponses).values({ workspaceId, text, createdBy }).returning({ id: savedResponses.id }).get();
  return (row as { id: number }).id;
}

export async function deleteSavedResponse(db: Db, workspaceId: string, id: number): Promise<void> {
  await db.delete(savedResponses).where(and(eq(savedResponses.workspaceId, workspaceId), eq(savedResponses.id, id)));
}
