import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { AppEnv } from "../../context";
import { deleteSessionsOf } from "../../db/queries/credentials";
import type { User } from "../../db/queries/users";
import { updateUser } from "../../db/queries/users";
import { DomainError, fieldErrors } from "../../errors";
import { bodyDoc, readBody } from "../../http/body";
import { type App, errorResponses, IntId, json } from "../../http/openapi";
import { requireUser } from "../../middleware/auth";
import { checkCredentials } from "../../services/login";
import { hashPassword, passwordProblems } from "../../services/passwords";
import { requireAdmin } from "../../services/permissions";
import { loadUser } from "./load";
import { ChangeOwnPasswordBody, SetPasswordBody } from "./schemas";

const Empty = z.object({}).openapi("Empty");

/** Stores a new password and ends the user's sessions (tokens stay: they are the app credential). */
async function setPassword(c: Context<AppEnv>, user: User, password: string, field: string) {
  const problems = passwordProblems(password, user.username);
  if (problems.length) throw fieldErrors({ [field]: problems });
  await updateUser(c.get("db"), user.workspaceId, user.id, { passwordHash: await hashPassword(password) });
  await deleteSessionsOf(c.get("db"), user.id);
}

/** Two paths: the vendor web-inbox client's `/users/password/change/` (PUT or POST) and `/users/current/password/change/`. */
const OWN_PASSWORD_PATHS = [
  { method: "post", path: "/users/current/password/change/" },
  { method: "post", path: "/users/password/change/" },
  { method: "put", path: "/users/password/change/" },
] as const;
const ownRoute = (method: "post" | "put", path: string) =>
  createRoute({
    method,
    path,
    tags: ["Users"],
    summary: "Change your password",
    description: "Requires the current password (failures count towards the login lock). Ends your sessions.",
    request: { body: bodyDoc(ChangeOwnPasswordBody) },
    responses: { 200: json(Empty, "Changed."), ...errorResponses },
  });

export const registerChangeOwnPassword = (app: App) => {
  for (const { method, path } of OWN_PASSWORD_PATHS) registerOwnPassword(app, ownRoute(method, path));
};

const registerOwnPassword = (app: App, route: ReturnType<typeof ownRoute>) =>
  app.openapi(route, async (c) => {
    const user = requireUser(c);
    const body = await readBody(c, ChangeOwnPasswordBody);
    try {
      await checkCredentials(c.get("db"), user.workspaceId, user.username, body.current_password);
    } catch (e) {
      if (e instanceof DomainError && e.kind === "invalid") throw fieldErrors({ current_password: ["Wrong password."] });
      throw e;
    }
    await setPassword(c, user, body.new_password, "new_password");
    return c.json({}, 200);
  });

const setRoute = createRoute({
  method: "post",
  path: "/users/{id}/password/change/",
  tags: ["Users"],
  summary: "Set another user's password",
  description: "Admins only. Ends the user's sessions.",
  request: { params: z.object({ id: IntId }), body: bodyDoc(SetPasswordBody) },
  responses: { 200: json(Empty, "Changed."), ...errorResponses },
});

export const registerSetPassword = (app: App) =>
  app.openapi(setRoute, async (c) => {
    requireAdmin(requireUser(c));
    const target = await loadUser(c, c.req.valid("param").id);
    const { password } = await readBody(c, SetPasswordBody);
    await setPassword(c, target, password, "password");
    return c.json({}, 200);
  });
