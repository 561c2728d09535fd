import { getCookie } from "hono/cookie";
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../../context";
import { forbidden, notAuthenticated, notFound } from "../../errors";
import { CSRF_COOKIE, checkCsrf, identifyUser, UNSAFE } from "../../middleware/auth";
import { inboxByHostname, inboxById } from "../../services/inbox-cache";

/**
 * RapidPro v2's credentials are the users' own (`Authorization: Token`, or a session with
 * CSRF), and its org is the token's workspace: bare `/api/v2/` has no default inbox. Under
 * an inbox address (`/inboxes/{id}/api/v2/`, a mapped hostname) the inbox's workspace must
 * be the credential's, else the answer is a missing inbox's 404. Every failure is a 403, as
 * DRF gives it (RapidPro's clients read a 401 as a generic error). Every active user reads;
 * `admin` and `app` users write, as RapidPro's administrators and editors; others are its viewers.
 */
export const authenticateV2 = createMiddleware<AppEnv>(async (c, next) => {
  const db = c.get("db");
  const pathId = c.req.param("inboxId");
  const inbox = pathId ? await inboxById(db, pathId) : await inboxByHostname(db, new URL(c.req.url).hostname);
  if (pathId && !inbox) throw notFound();
  const found = await identifyUser(c);
  if (!found) throw notAuthenticated();
  if (inbox && inbox.workspaceId !== found.user.workspaceId) throw notFound();
  if (!found.user.isActive) throw notAuthenticated("User inactive or deleted.");
  const unsafe = UNSAFE.has(c.req.method);
  if (found.method === "session" && unsafe) checkCsrf(c.req.header("x-csrftoken"), getCookie(c, CSRF_COOKIE));
  if (unsafe && found.user.role === "user") throw forbidden();
  c.set("principal", { kind: "user", user: found.user, via: found.method });
  await next();
});
