import type { Context } from "hono";
import { getCookie } from "hono/cookie";
import { createMiddleware } from "hono/factory";
import type { AppEnv, AuthMethod, Principal } from "../context";
import { userBySessionHash, userByTokenHash } from "../db/queries/credentials";
import { firstActiveAdmin, type User } from "../db/queries/users";
import { ApiError, notAuthenticated, notFound } from "../errors";
import { isPublic } from "../http/routes";
import { isValidD360Key } from "../providers/dialog360-auth";
import { safeEqual, sha256Hex } from "../services/crypto";
import { inboxSecrets } from "../services/inboxes";

export const SESSION_COOKIE = "sessionid";
/**
 * Browsers show media (`<img src=".../media/{id}">`) without an Authorization header: a
 * token login also sets this HttpOnly cookie, scoped to the media path and accepted only
 * for GET of a media file.
 */
export const MEDIA_COOKIE = "sb_media";
export const MEDIA_FILE = /^(\/inboxes\/[^/]+)?\/api\/v1\/media\/[^/]+\/?$/;
/** The cookie's path: the media folder of the API the request addressed. */
export const mediaCookiePath = (baseUrl: string) => `${new URL(baseUrl, "http://x").pathname.replace(/\/$/, "")}/api/v1/media`;
export const CSRF_COOKIE = "csrftoken";
export const UNSAFE = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/**
 * Authenticates in the seed's order: provider key (`D360-Api-Key`, silently skipped
 * when invalid), then `Authorization: Token`, then the session cookie. A credential
 * that belongs to another workspace is answered exactly like a missing inbox (404),
 * so another tenant's credentials cannot tell its inboxes from ids that do not exist. Sets `principal`; without
 * one, only routes declared public go on.
 */
export const authenticate = createMiddleware<AppEnv>(async (c, next) => {
  const found = await identify(c);
  if (found && found.user.workspaceId !== c.get("inbox").workspaceId) throw notFound();
  if (found && !found.user.isActive) throw notAuthenticated("User inactive or deleted.");
  if (found?.method === "session" && UNSAFE.has(c.req.method)) checkCsrf(c.req.header("x-csrftoken"), getCookie(c, CSRF_COOKIE));
  // Authentication by default: a route is open only if its definition says `security: []`.
  if (!found && isPublic(c.req.method, c.req.path) === false) throw notAuthenticated();
  c.set("principal", found ? { kind: "user", user: found.user, via: found.method, groupIds: found.groupIds } : null);
  await next();
});

type Found = { user: User; method: AuthMethod; groupIds?: number[] };

async function identify(c: Context<AppEnv>): Promise<Found | null> {
  const inbox = c.get("inbox");
  const d360 = c.req.header("d360-api-key");
  if (d360 && inbox.provider === "360dialog" && (await isValidD360Key(inbox, (await inboxSecrets(c.env, inbox)).api_key, d360))) {
    const admin = await firstActiveAdmin(c.get("db"), inbox.workspaceId);
    if (admin) return { user: admin, method: "provider" };
  }
  return identifyUser(c);
}

/** A user's own credential: `Authorization: Token`, the session cookie, or (media files only) the media cookie. */
export async function identifyUser(c: Context<AppEnv>): Promise<Found | null> {
  const db = c.get("db");
  const authorization = c.req.header("authorization");
  if (authorization) {
    const [scheme, key, extra] = authorization.trim().split(/\s+/);
    if (scheme?.toLowerCase() === "token") {
      if (!key || extra) throw notAuthenticated("Invalid token header. Token string should not contain spaces.");
      const found = await userByTokenHash(db, await sha256Hex(key));
      if (!found) throw notAuthenticated("Invalid token.");
      return { ...found, method: "token" };
    }
  }
  const session = getCookie(c, SESSION_COOKIE);
  if (session) {
    const found = await userBySessionHash(db, await sha256Hex(session), Math.floor(Date.now() / 1000));
    if (found) return { ...found, method: "session" };
  }
  const media = c.req.method === "GET" && MEDIA_FILE.test(c.req.path) ? getCookie(c, MEDIA_COOKIE) : undefined;
  if (media) {
    const found = await userByTokenHash(db, await sha256Hex(media));
    if (found) return { ...found, method: "token" };
  }
  return null;
}

/** Django's CSRF check for session-authenticated unsafe requests: header must match the cookie. */
export function checkCsrf(header: string | undefined, cookie: string | undefined): void {
  if (!cookie) throw new ApiError(403, { detail: "CSRF Failed: CSRF cookie not set." });
  if (!header) throw new ApiError(403, { detail: "CSRF Failed: CSRF token missing." });
  if (!safeEqual(header, cookie)) throw new ApiError(403, { detail: "CSRF Failed: CSRF token incorrect." });
}

/** The acting user (non-public routes always have one; the check keeps the type honest). */
export function requireUser(c: { get(key: "principal"): Principal | null }): User {
  const principal = c.get("principal");
  if (principal?.kind !== "user") throw notAuthenticated();
  return principal.user;
}

/** How the request's user authenticated, if a user did. */
export function authMethod(c: { get(key: "principal"): Principal | null }): AuthMethod | undefined {
  const principal = c.get("principal");
  return principal?.kind === "user" ? principal.via : undefined;
}
