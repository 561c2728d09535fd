import { createRoute, z } from "@hono/zod-openapi";
import { type App, errorResponses, IntId, json } from "../../http/openapi";
import { requireUser } from "../../middleware/auth";
import { UserSchema } from "../../services/users";
import { loadUser, userWire } from "./load";

const route = createRoute({
  method: "get",
  path: "/users/{id}/",
  tags: ["Users"],
  summary: "Retrieve a user",
  request: { params: z.object({ id: IntId }) },
  responses: { 200: json(UserSchema, "The user."), ...errorResponses },
});

export const registerRetrieveUser = (app: App) =>
  app.openapi(route, async (c) => {
    requireUser(c);
    return c.json(await userWire(c, await loadUser(c, c.req.valid("param").id)), 200);
  });
