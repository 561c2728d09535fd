import { and, asc, eq, inArray, isNull, sql } from "drizzle-orm";
import type { Db } from "../client";
import { groups, userGroups, users } from "../schema";
import { chunks } from "./chunks";

export type User = typeof users.$inferSelect;
export type NewUser = Omit<typeof users.$inferInsert, "id" | "createdAt" | "workspaceId">;
export type GroupRef = { id: number; name: string };

export async function getUser(db: Db, workspaceId: string, id: number): Promise<User | undefined> {
  return db
    .select()
    .from(users)
    .where(and(eq(users.workspaceId, workspaceId), eq(users.id, id)))
    .get();
}

export async function getUsersByIds(db: Db, workspaceId: string, ids: number[]): Promise<User[]> {
  const pages = await Promise.all(
    chunks(ids).map((chunk) =>
      db
        .select()
        .from(users)
        .where(and(eq(users.workspaceId, workspaceId), inArray(users.id, chunk))),
    ),
  );
  return pages.flat();
}

export async function getUserByUsername(db: Db, workspaceId: string, username: string): Promise<User | undefined> {
  return db
    .select()
    .from(users)
    .where(and(eq(users.workspaceId, workspaceId), eq(users.username, username)))
    .get();
}

export async function listUsers(db: Db, workspaceId: string, limit: number, offset: number) {
  const where = eq(users.workspaceId, workspaceId);
  const [rows, [total]] = await db.batch([
    db.select().from(users).where(where).orderBy(asc(users.id)).limit(limit).offset(offset),
    db.select({ count: sql<number>`count(*)` }).from(users).where(where),
  ]);
  return { rows, count: total?.count ?? 0 };
}

/** The provider-auth user: the earliest-registered active admin of the workspace. */
export async function firstActiveAdmin(db: Db, workspaceId: string): Promise<User | undefined> {
  return db
    .select()
    .from(users)
    .where(and(eq(users.workspaceId, workspaceId), eq(users.role, "admin"), eq(users.isActive, true)))
    .orderBy(asc(users.id))
    .limit(1)
    .get();
}

/** Groups of each user, in one query. */
export async function groupsOfUsers(db: Db, userIds: number[]): Promise<Map<number, GroupRef[]>> {
  const out = new Map<number, GroupRef[]>(userIds.map((id) => [id, []]));
  if (userIds.length === 0) return out;
  const pages = await Promise.all(
    chunks(userIds).map((chunk) =>
      db
        .select({ userId: userGroups.userId, id: groups.id, name: groups.name })
        .from(userGroups)
        .innerJoin(groups, eq(groups.id, userGroups.groupId))
        .where(inArray(userGroups.userId, chunk))
        .orderBy(asc(groups.id)),
    ),
  );
  const rows = pages.flat();
  for (const row of rows) out.get(row.userId)?.push({ id: row.id, name: row.name });
  return out;
}

/** Inserts a user and their role group membership atomically. */
export async function insertUser(db: Db, workspaceId: string, values: NewUser): Promise<User> {
  const [inserted] = await db.batch([
    db
      .insert(users)
      .values({ ...values, workspaceId })
      .returning(),
    db.insert(userGroups).select(
      db
        .select({ userId: users.id, groupId: groups.id })
        .from(users)
        .innerJoin(groups, and(eq(groups.workspaceId, users.workspaceId), eq(groups.role, users.role)))
        .where(and(eq(users.workspaceId, workspaceId), eq(users.username, values.username))),
    ),
  ]);
  return inserted[0] as User;
}

/**
 * Updates a user; a role change moves them to the new role's group and
 * `extraGroupIds` (when given) replaces their other memberships, in one batch.
 */
export async function updateUser(
  db: Db,
  workspaceId: string,
  id: number,
  values: Partial<NewUser>,
  extraGroupIds?: number[],
): Promise<User | undefined> {
  const scope = and(eq(users.workspaceId, workspaceId), eq(users.id, id));
  const current = await db.select({ role: users.role }).from(users).where(scope).get();
  if (!current) return undefined;
  const role = values.role ?? current.role;
  const statements = [];
  // Memberships of the workspace's role groups (role IS NOT NULL) or of its other groups.
  const leaveGroups = (roleGroups: boolean) =>
    db.delete(userGroups).where(
      and(
        eq(userGroups.userId, id),
        inArray(
          userGroups.groupId,
          db
            .select({ id: groups.id })
            .from(groups)
            .where(and(eq(groups.workspaceId, workspaceId), roleGroups ? sql`${groups.role} IS NOT NULL` : isNull(groups.role))),
        ),
      ),
    );
  if (values.role && values.role !== current.role) {
    statements.push(
      leaveGroups(true),
      db.insert(userGroups).select(
        db
          .select({ userId: users.id, groupId: groups.id })
          .from(users)
          .innerJoin(groups, and(eq(groups.workspaceId, users.workspaceId), eq(groups.role, role)))
          .where(scope),
      ),
    );
  }
  if (extraGroupIds) {
    statements.push(leaveGroups(false));
    if (extraGroupIds.length) statements.push(db.insert(userGroups).values(extraGroupIds.map((groupId) => ({ userId: id, groupId }))));
  }
  const update = db.update(users).set(values).where(scope).returning();
  const results = await db.batch([update, ...statements]);
  return results[0][0] as User | undefined;
}

/** All groups of the workspace, with the role that owns each role group. */
export async function workspaceGroups(db: Db, workspaceId: string) {
  return db.select().from(groups).where(eq(groups.workspaceId, workspaceId)).orderBy(asc(groups.id));
}

export async function countActiveAdmins(db: Db, workspaceId: string): Promise<number> {
  const row = await db
    .select({ count: sql<number>`count(*)` })
    .from(users)
    .where(and(eq(users.workspaceId, workspaceId), eq(users.role, "admin"), eq(users.isActive, true)))
    .get();
  return row?.count ?? 0;
}

export async function listGroups(db: Db, workspaceId: string, limit: number, offset: number) {
  const where = eq(groups.workspaceId, workspaceId);
  const [rows, [total]] = await db.batch([
    db.select({ id: groups.id, name: groups.name }).from(groups).where(where).orderBy(asc(groups.id)).limit(limit).offset(offset),
    db.select({ count: sql<number>`count(*)` }).from(groups).where(where),
  ]);
  return { rows, count: total?.count ?? 0 };
}

export async function findUserByActivationCode(db: Db, workspaceId: string, codeHash: string): Promise<User | undefined> {
  return db
    .select()
    .from(users)
    .where(and(eq(users.workspaceId, workspaceId), eq(users.activationCodeHash, codeHash)))
    .get();
}
