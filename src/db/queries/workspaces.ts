import { eq, sql } from "drizzle-orm";
import type { Db } from "../client";
import { groups, workspaces } from "../schema";

export type Workspace = typeof workspaces.$inferSelect;

/** The groups every workspace has, one per role. */
export const ROLE_GROUPS = [
  { name: "Admin", role: "admin" },
  { name: "Regular user", role: "user" },
  { name: "App integration", role: "app" },
] as const;

export async function createWorkspace(db: Db, name: string): Promise<Workspace> {
  const id = crypto.randomUUID();
  const [rows] = await db.batch([
    db.insert(workspaces).values({ id, name }).returning(),
    db.insert(groups).values(ROLE_GROUPS.map((g) => ({ ...g, workspaceId: id }))),
  ]);
  return rows[0] as Workspace;
}

export async function getWorkspace(db: Db, id: string): Promise<Workspace | undefined> {
  return db.select().from(workspaces).where(eq(workspaces.id, id)).get();
}

export async function listWorkspaces(db: Db, limit: number, offset: number) {
  const [rows, [total]] = await db.batch([
    db.select().from(workspaces).orderBy(sql`rowid`).limit(limit).offset(offset),
    db.select({ count: sql<number>`count(*)` }).from(workspaces),
  ]);
  return { rows, count: total?.count ?? 0 };
}

/** The first workspace created: the one a bare `/api/v1/` URL addresses. */
export async function defaultWorkspaceId(db: Db): Promise<string | undefined> {
  return (await db.select({ id: workspaces.id }).from(workspaces).orderBy(sql`rowid`).limit(1).get())?.id;
}
