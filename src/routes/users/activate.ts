import { createRoute, z } from "@hono/zod-openapi";
import { findUserByActivationCode, updateUser } from "../../db/queries/users";
import { badRequest, notFound } from "../../errors";
import { type App, errorResponses, json, PUBLIC } from "../../http/openapi";
import { sha256Hex } from "../../services/crypto";
import { issueToken } from "../../services/login";
import { TokenSchema } from "../auth/token";

const params = z.object({ code: z.string().openapi({ param: { name: "code", in: "path" } }) });
const responses = {
  200: json(z.union([TokenSchema, z.object({ detail: z.string() })]), "`app` users: their token. Others: a confirmation."),
  ...errorResponses,
};

const describe = (method: "get" | "post") =>
  createRoute({
    method,
    path: "/users/activate/{code}/",
    tags: ["Users"],
    summary: "Activate a user (the `activation_url`)",
    ...PUBLIC,
    description:
      'Public; the code is the credential and works once. An `app` user\'s activation returns `{"token"}`; any other user must have a password set first.',
    request: { params },
    responses,
  });

export const registerActivateUser = (app: App) => {
  for (const method of ["get", "post"] as const) {
    app.openapi(describe(method), async (c) => {
      const { code } = c.req.valid("param");
      if (!/^[0-9a-f]{40}$/.test(code)) throw notFound();
      const db = c.get("db");
      const workspaceId = c.get("inbox").workspaceId;
      const user = await findUserByActivationCode(db, workspaceId, await sha256Hex(code));
      if (!user) throw notFound();
      if (user.role !== "app" && !user.passwordHash) {
        throw badRequest("Set a password for this user (/users/{id}/password/change/) before activating the account.");
      }
      const activated = await updateUser(db, workspaceId, user.id, { isActive: true, activationCodeHash: null });
      if (!activated) throw notFound();
      if (activated.role === "app") return c.json({ token: await issueToken(db, c.env, activated) }, 200);
      return c.json({ detail: "Account activated." }, 200);
    });
  }
};
