import { createRoute } from "@hono/zod-openapi";
import { type App, errorResponses, json } from "../../http/openapi";
import { requireUser } from "../../middleware/auth";
import { UserSchema } from "../../services/users";
import { userWire } from "./load";

const route = createRoute({
  method: "get",
  path: "/users/current/",
  tags: ["Users"],
  summary: "Retrieve the current user",
  responses: { 200: json(UserSchema, "The authenticated user."), ...errorResponses },
});

export const registerCurrentUser = (app: App) => app.openapi(route, async (c) => c.json(await userWire(c, requireUser(c)), 200));
