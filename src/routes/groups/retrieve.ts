import { createRoute, z } from "@hono/zod-openapi";
import { type App, errorResponses, IntId, json } from "../../http/openapi";
import { requireUser } from "../../middleware/auth";
import { requireAdmin } from "../../services/permissions";
import { GroupSchema } from "../../services/users";
import { loadGroup } from "./load";
import { toGroupWire } from "./schemas";

const route = createRoute({
  method: "get",
  path: "/groups/{id}/",
  tags: ["Groups"],
  summary: "Retrieve a group",
  description: "Admins.",
  request: { params: z.object({ id: IntId }) },
  responses: { 200: json(GroupSchema, "The group."), ...errorResponses },
});

export const registerRetrieveGroup = (app: App) =>
  app.openapi(route, async (c) => {
    requireAdmin(requireUser(c));
    return c.json(toGroupWire(await loadGroup(c, c.req.valid("param").id)), 200);
  });
