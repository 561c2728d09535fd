import { and, eq, lt, sql } from "drizzle-orm";
import { type Db, prebuilt } from "../client";
import { loginFailures, sessions, tokens, users } from "../schema";
import type { User } from "./users";

/** Tokens, sessions and login throttling: everything that turns a credential into a user. */

/** A credential's user with the ids of their groups (ascending), read in the credential's own query. */
export type Holder = { user: User; groupIds: number[] };

const holder = {
  user: users,
  groupIds: sql<string>`(SELECT json_group_array(id) FROM (SELECT g.id FROM user_groups ug JOIN groups g ON g.id = ug.group_id WHERE ug.user_id = ${users.id} ORDER BY g.id))`,
};
const toHolder = (row: { user: User; groupIds: string } | undefined): Holder | undefined =>
  row && { user: row.user, groupIds: JSON.parse(row.groupIds) as number[] };

const byTokenHash = prebuilt((db) =>
  db
    .select(holder)
    .from(tokens)
    .innerJoin(users, eq(users.id, tokens.userId))
    .where(eq(tokens.keyHash, sql.placeholder("keyHash")))
    .prepare(),
);

export async function userByTokenHash(db: Db, keyHash: string): Promise<Holder | undefined> {
  return toHolder(await byTokenHash(db).get({ keyHash }));
}

export async function tokenOf(db: Db, userId: number) {
  return db.select().from(tokens).where(eq(tokens.userId, userId)).get();
}

/** Creates the user's token unless one exists (two concurrent logins get the same one). */
export async function ensureToken(db: Db, values: typeof tokens.$inferInsert & { userId: number }) {
  await db.insert(tokens).values(values).onConflictDoNothing();
  return tokenOf(db, values.userId);
}

const bySessionHash = prebuilt((db) =>
  db
    .select(holder)
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.idHash, sql.placeholder("idHash")), sql`${sessions.expiresAt} > ${sql.placeholder("now")}`))
    .prepare(),
);

export async function userBySessionHash(db: Db, idHash: string, now: number): Promise<Holder | undefined> {
  return toHolder(await bySessionHash(db).get({ idHash, now }));
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

/**
 * Counts one login attempt for a username, atomically, before any password is checked:
 * concurrent guesses each get their own count, so a burst cannot slip past the limit.
 * A window older than `windowSeconds`, or an expired lock, starts the count again at 1;
 * a lock in force is kept.
 */
export async function reserveLoginAttempt(db: Db, workspaceId: string, username: string, now: number, windowSeconds: number) {
  return db.get<{ failures: number; locked_until: number | null }>(sql`
    INSERT INTO login_failures (workspace_id, username, failures, window_start, locked_until) VALUES (${workspaceId}, ${username}, 1, ${now}, NULL)
    ON CONFLICT (workspace_id, username) DO UPDATE SET
      failures = CASE WHEN coalesce(locked_until, 0) > ${now} THEN failures
        WHEN locked_until IS NOT NULL OR window_start + ${windowSeconds} <= ${now} THEN 1 ELSE failures + 1 END,
      window_start = CASE WHEN coalesce(locked_until, 0) > ${now} THEN window_start
        WHEN locked_until IS NOT NULL OR window_start + ${windowSeconds} <= ${now} THEN ${now} ELSE window_start END,
      locked_until = CASE WHEN coalesce(locked_until, 0) > ${now} THEN locked_until ELSE NULL END
    RETURNING failures, locked_until`);
}

export async function lockLogins(db: Db, workspaceId: string, username: string, until: number) {
  await db
    .update(loginFailures)
    .set({ lockedUntil: until })
    .where(and(eq(loginFailures.workspaceId, workspaceId), eq(loginFailures.username, username)));
}

export async function clearLoginFailures(db: Db, workspaceId: string, username: string) {
  await db.delete(loginFailures).where(and(eq(loginFailures.workspaceId, workspaceId), eq(loginFailures.username, username)));
}

/** Ends a user's token; the next `POST /auth/token/` issues a new one (new nonce). */
export async function deleteToken(db: Db, userId: number) {
  await db.delete(tokens).where(eq(tokens.userId, userId));
}
