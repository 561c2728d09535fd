import { createRoute } from "@hono/zod-openapi";
import { bodyDoc, readBody } from "../../http/body";
import { type App, errorResponses, json } from "../../http/openapi";
import { requireUser } from "../../middleware/auth";
import { randomHex, sha256Hex } from "../../services/crypto";
import { requireAdmin } from "../../services/permissions";
import { createUser } from "../../services/users";
import { userWire } from "./load";
import { CreatedUserSchema, CreateUserBody } from "./schemas";

const route = createRoute({
  method: "post",
  path: "/users/",
  tags: ["Users"],
  summary: "Create a user",
  description:
    "Admins only. The user is inactive until its `activation_url` (returned only here) is called: an `app` user gets its token from it; others set a password first (`/users/{id}/password/change/`).",
  request: { body: bodyDoc(CreateUserBody) },
  responses: { 201: json(CreatedUserSchema, "The new user, with its one-time activation URL."), ...errorResponses },
});

export const registerCreateUser = (app: App) =>
  app.openapi(route, async (c) => {
    requireAdmin(requireUser(c));
    const body = await readBody(c, CreateUserBody);
    const db = c.get("db");
    const workspaceId = c.get("inbox").workspaceId;
    const role = body.profile?.role ?? "user";
    const code = randomHex(20);
    const activationCodeHash = await sha256Hex(code);
    const user = await createUser(db, workspaceId, body, role, { isActive: false, activationCodeHash });
    const activation_url = `${c.get("baseUrl")}/api/v1/users/activate/${code}/`;
    return c.json({ ...(await userWire(c, user)), activation_url }, 201);
  });
