import { createRoute, z } from "@hono/zod-openapi";
import { deleteCookie, getCookie } from "hono/cookie";
import { deleteSession, deleteToken } from "../../db/queries/credentials";
import { type App, errorResponses, json } from "../../http/openapi";
import { authMethod, MEDIA_COOKIE, mediaCookiePath, requireUser, SESSION_COOKIE } from "../../middleware/auth";
import { sha256Hex } from "../../services/crypto";
import { refreshUserSockets } from "../../services/sockets";

const route = createRoute({
  method: "get",
  path: "/auth/logout/",
  tags: ["Authorization"],
  summary: "Log out",
  description:
    "The vendor web-inbox client's logout: ends the credential used, a token (the next `POST /auth/token/` issues a new one) or a session.",
  responses: { 200: json(z.object({ detail: z.string() }), "Logged out."), ...errorResponses },
});

export const registerLogout = (app: App) =>
  app.openapi(route, async (c) => {
    const user = requireUser(c);
    const db = c.get("db");
    const via = authMethod(c);
    if (via === "token") {
      await deleteToken(db, user.id);
      deleteCookie(c, MEDIA_COOKIE, { path: mediaCookiePath(c.get("baseUrl")) });
      await refreshUserSockets(c.env, db, user.workspaceId, user.id, true);
    }
    const session = getCookie(c, SESSION_COOKIE);
    if (via === "session" && session) {
      await deleteSession(db, await sha256Hex(session));
      deleteCookie(c, SESSION_COOKIE, { path: "/" });
    }
    return c.json({ detail: "Successfully logged out." }, 200);
  });
