import { and, eq, lt, sql } from "drizzle-orm";
import type { Db } from "../client";
import { loginFailures, sessions, tokens, users } from "../schema";
import type { User } from "./users";

/** Tokens, sessions and login throttling: everything that turns a credential into a user. */

export async function userByTokenHash(db: Db, keyHash: string): Promise<User | undefined> {
  const row = await db
    .select({ user: users })
    .from(tokens)
    .innerJoin(users, eq(users.id, tokens.userId))
    .where(eq(tokens.keyHash, keyHash))
    .get();
  return row?.user;
}

export async function tokenOf(db: Db, userId: number) {
  return db.select().from(tokens).where(eq(tokens.userId, userId)).get();
}

/** Creates the user's token unless one exists (two concurrent logins get the same one). */
export async function ensureToken(db: Db, values: typeof tokens.$inferInsert & { userId: number }) {
  await db.insert(tokens).values(values).onConflictDoNothing();
  return tokenOf(db, values.userId);
}

export async function userBySessionHash(db: Db, idHash: string, now: number): Promise<User | undefined> {
  const row = await db
    .select({ user: users })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.idHash, idHash), sql`${sessions.expiresAt} > ${now}`))
    .get();
  return row?.user;
}

/** Stores a session and sweeps expired ones, so the table does not grow without bound. */
export async function insertSession(db: Db, values: typeof sessions.$inferInsert, now: number) {
  await db.batch([db.delete(sessions).where(lt(sessions.expiresAt, now)), db.insert(sessions).values(values)]);
}

export async function deleteSession(db: Db, idHash: string) {
  await db.delete(sessions).where(eq(sessions.idHash, idHash));
}

export async function deleteSessionsOf(db: Db, userId: number) {
  await db.delete(sessions).where(eq(sessions.userId, userId));
}

export async function loginFailuresOf(db: Db, workspaceId: string, username: string) {
  return db
    .select()
    .from(loginFailures)
    .where(and(eq(loginFailures.workspaceId, workspaceId), eq(loginFailures.username, username)))
    .get();
}

export async function saveLoginFailures(db: Db, row: typeof loginFailures.$inferInsert) {
  await db
    .insert(loginFailures)
    .values(row)
    .onConflictDoUpdate({
      target: [loginFailures.workspaceId, loginFailures.username],
      set: { failures: row.failures, windowStart: row.windowStart, lockedUntil: row.lockedUntil ?? null },
    });
}

export async function clearLoginFailures(db: Db, workspaceId: string, username: string) {
  await db.delete(loginFailures).where(and(eq(loginFailures.workspaceId, workspaceId), eq(loginFailures.username, username)));
}
