import { createRoute, z } from "@hono/zod-openapi";
import { updateUser } from "../../db/queries/users";
import { forbidden, notFound } from "../../errors";
import { bodyDoc, readBody } from "../../http/body";
import { type App, errorResponses, IntId, json } from "../../http/openapi";
import { requireUser } from "../../middleware/auth";
import { UserSchema } from "../../services/users";
import { loadUser, userWire } from "./load";

const Body = z.object({ is_available: z.boolean() });

/** The vendor web-inbox client's path has no trailing slash; the slash form works too. */
const describe = (path: string) =>
  createRoute({
    method: "patch",
    path,
    tags: ["Users"],
    summary: "Set a user's availability",
    description: "The user themself or an admin. Unavailable users keep their chats; round robin skips them.",
    request: { params: z.object({ id: IntId }), body: bodyDoc(Body) },
    responses: { 200: json(UserSchema, "The user."), ...errorResponses },
  });

export const registerAvailability = (app: App) => {
  for (const path of ["/users/{id}/availability", "/users/{id}/availability/"]) {
    app.openapi(describe(path), async (c) => {
      const actor = requireUser(c);
      const target = await loadUser(c, c.req.valid("param").id);
      if (actor.role !== "admin" && actor.id !== target.id) throw forbidden();
      const { is_available } = await readBody(c, Body);
      const updated = await updateUser(c.get("db"), target.workspaceId, target.id, { isAvailable: is_available });
      if (!updated) throw notFound();
      return c.json(await userWire(c, updated), 200);
    });
  }
};
