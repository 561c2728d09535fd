import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import type { AppEnv } from "../../context";
import { deleteSession } from "../../db/queries/credentials";
import { badRequest, DomainError } from "../../errors";
import { bodyDoc, readRawBody } from "../../http/body";
import { createApp, ErrorSchema, PUBLIC } from "../../http/openapi";
import { authenticate, CSRF_COOKIE, requireUser, SESSION_COOKIE } from "../../middleware/auth";
import { resolveInbox } from "../../middleware/inbox";
import { safeEqual, sha256Hex } from "../../services/crypto";
import { checkCredentials, SESSION_SECONDS, startSession } from "../../services/login";
import { Credentials } from "../auth/token";
import { ensureCsrfCookie } from "./csrf";

/** Session login for browsers (Django's `/login/` form): sets `sessionid` and `csrftoken`. */
export const site = createApp();

function LoginPage({ csrf, next, error }: { csrf: string; next: string; error?: string }) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <title>Switchboard · Log in</title>
      </head>
      <body>
        <h1>Log in</h1>
        {error && <p role="alert">{error}</p>}
        <form method="post">
          <input type="hidden" name="csrfmiddlewaretoken" value={csrf} />
          <input type="hidden" name="next" value={next} />
          <label>
            Username <input name="username" autocomplete="username" required />
          </label>
          <label>
            Password <input name="password" type="password" autocomplete="current-password" required />
          </label>
          <button type="submit">Log in</button>
        </form>
      </body>
    </html>
  );
}

/** The inbox's own root path (`/` or `/inboxes/{id}/`), where login sends people and logout returns them. */
const home = (c: Context<AppEnv>) => `${new URL(c.get("baseUrl")).pathname.replace(/\/$/, "")}/`;

/** Only same-site relative redirects (no `//host` or scheme) after login. */
const safeNext = (next: unknown, fallback: string) =>
  typeof next === "string" && next.startsWith("/") && !next.startsWith("//") && !next.includes("\\") ? next : fallback;

const html = (description: string) => ({ description, content: { "text/html": { schema: z.string() } } });
const redirect = (description: string) => ({ description, headers: { Location: { schema: { type: "string" as const } } } });
const LoginForm = Credentials.extend({
  csrfmiddlewaretoken: z.string().openapi({ description: "The `csrftoken` cookie (or send it as `X-CSRFToken`)." }),
  next: z.string().optional().openapi({ description: "Same-site path to go to after login." }),
});

const loginPage = createRoute({
  method: "get",
  path: "/login/",
  tags: ["Session"],
  summary: "The login form",
  ...PUBLIC,
  middleware: [resolveInbox] as const,
  request: { query: z.object({ next: z.string().optional() }) },
  responses: { 200: html("The form; sets the `csrftoken` cookie.") },
});
const login = createRoute({
  method: "post",
  path: "/login/",
  tags: ["Session"],
  summary: "Log in (session)",
  description: "Sets the `sessionid` cookie (HttpOnly) and redirects to `next`. Wrong credentials: the form again with 400; locked: 429.",
  ...PUBLIC,
  middleware: [resolveInbox] as const,
  request: { body: bodyDoc(LoginForm) },
  responses: {
    302: redirect("Logged in."),
    400: html("Wrong credentials."),
    403: html("CSRF check failed."),
    429: html("Too many failed attempts."),
  },
});
const logout = createRoute({
  method: "post",
  path: "/logout/",
  tags: ["Session"],
  summary: "Log out",
  description: "Ends the session and redirects to the login form. Needs `X-CSRFToken`.",
  middleware: [resolveInbox, authenticate] as const,
  responses: {
    302: redirect("Logged out."),
    403: { description: "Not logged in.", content: { "application/json": { schema: ErrorSchema } } },
  },
});

site.openapi(loginPage, (c) => {
  const csrf = ensureCsrfCookie(c);
  return c.html(<LoginPage csrf={csrf} next={safeNext(c.req.query("next"), home(c))} />);
});

site.openapi(login, async (c) => {
  const raw = await readRawBody(c);
  const form = (raw && typeof raw === "object" ? raw : {}) as Record<string, unknown>;
  const cookie = getCookie(c, CSRF_COOKIE);
  const sent = String(form.csrfmiddlewaretoken ?? c.req.header("x-csrftoken") ?? "");
  const next = safeNext(form.next, home(c));
  if (!cookie || !safeEqual(sent, cookie)) {
    return c.html(
      <LoginPage csrf={ensureCsrfCookie(c)} next={next} error="CSRF verification failed. Reload the page and try again." />,
      403,
    );
  }
  try {
    const credentials = Credentials.safeParse(form);
    if (!credentials.success) throw badRequest("invalid");
    const { username, password } = credentials.data;
    const user = await checkCredentials(c.get("db"), c.get("inbox").workspaceId, username, password);
    const session = await startSession(c.get("db"), user);
    setCookie(c, SESSION_COOKIE, session, {
      path: "/",
      httpOnly: true,
      sameSite: "Lax",
      maxAge: SESSION_SECONDS,
      secure: c.req.url.startsWith("https:"),
    });
    return c.redirect(next, 302);
  } catch (e) {
    if (!(e instanceof DomainError)) throw e;
    const limited = e.kind === "rate_limited";
    const message = limited ? String(e.body.detail) : "Please enter a correct username and password.";
    return c.html(<LoginPage csrf={cookie} next={next} error={message} />, limited ? 429 : 400, e.headers);
  }
});

site.openapi(logout, async (c) => {
  requireUser(c);
  const session = getCookie(c, SESSION_COOKIE);
  if (session) await deleteSession(c.get("db"), await sha256Hex(session));
  deleteCookie(c, SESSION_COOKIE, { path: "/" });
  return c.redirect(`${home(c)}login/`, 302);
});
