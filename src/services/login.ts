import { config } from "../config";
import type { Db } from "../db/client";
import { clearLoginFailures, ensureToken, insertSession, lockLogins, reserveLoginAttempt, tokenOf } from "../db/queries/credentials";
import { getUserByUsername, type User, updateUser } from "../db/queries/users";
import { DomainError } from "../errors";
import { randomHex, sha256Hex } from "./crypto";
import { hashPassword, needsRehash, verifyPassword } from "./passwords";
import { deriveToken } from "./secrets";

/** Login throttling: this many failures for one username inside the window lock it for LOCK_SECONDS. */
export const MAX_FAILURES = 5;
const WINDOW_SECONDS = 15 * 60;
const LOCK_SECONDS = 15 * 60;
export const SESSION_SECONDS = 14 * 86400;

const nowSeconds = () => Math.floor(Date.now() / 1000);

/**
 * Checks a username and password for a workspace. Every attempt is counted before the
 * password is hashed; past MAX_FAILURES in the window the username is locked (429 with
 * Retry-After) without spending CPU on PBKDF2. A success clears the count.
 */
export async function checkCredentials(db: Db, workspaceId: string, username: string, password: string): Promise<User> {
  const now = nowSeconds();
  const attempt = await reserveLoginAttempt(db, workspaceId, username, now, WINDOW_SECONDS);
  let lockedUntil = attempt?.locked_until ?? 0;
  if (lockedUntil <= now && (attempt?.failures ?? 0) > MAX_FAILURES) {
    lockedUntil = now + LOCK_SECONDS;
    await lockLogins(db, workspaceId, username, lockedUntil);
  }
  if (lockedUntil > now) {
    const retryAfter = String(lockedUntil - now);
    throw new DomainError(
      "rate_limited",
      { detail: `Too many failed login attempts. Expected available in ${retryAfter} seconds.` },
      { "Retry-After": retryAfter },
    );
  }
  const user = await getUserByUsername(db, workspaceId, username);
  const ok = await verifyPassword(password, user?.passwordHash ?? null);
  if (!ok || !user?.isActive) throw new DomainError("invalid", { non_field_errors: ["Unable to log in with provided credentials."] });
  await clearLoginFailures(db, workspaceId, username);
  if (user.passwordHash && needsRehash(user.passwordHash)) {
    await updateUser(db, workspaceId, user.id, { passwordHash: await hashPassword(password) });
  }
  return user;
}

/** The user's token, created on first use (DRF's `Token.objects.get_or_create`). */
export async function issueToken(db: Db, env: Env, user: User): Promise<string> {
  const secret = config(env).SECRET_KEY;
  const existing = await tokenOf(db, user.id);
  if (existing) return deriveToken(secret, existing.nonce);
  const nonce = randomHex(20);
  const value = await deriveToken(secret, nonce);
  const stored = await ensureToken(db, { userId: user.id, workspaceId: user.workspaceId, nonce, keyHash: await sha256Hex(value) });
  return stored && stored.nonce !== nonce ? deriveToken(secret, stored.nonce) : value;
}

/** Starts a session: returns the cookie value; only its hash is stored. */
export async function startSession(db: Db, user: User): Promise<string> {
  const id = randomHex(20);
  await insertSession(
    db,
    { idHash: await sha256Hex(id), userId: user.id, workspaceId: user.workspaceId, expiresAt: nowSeconds() + SESSION_SECONDS },
    nowSeconds(),
  );
  return id;
}
