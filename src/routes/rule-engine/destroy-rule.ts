import { createRoute, z } from "@hono/zod-openapi";
import { deleteRule } from "../../db/queries/rules";
import { type App, errorResponses, IntId } from "../../http/openapi";
import { requireUser } from "../../middleware/auth";
import { requireAdmin } from "../../services/permissions";
import { loadRule } from "./load";

const route = createRoute({
  method: "delete",
  path: "/rule_engine/rules/{id}/",
  tags: ["Rule engine"],
  summary: "Delete a rule",
  request: { params: z.object({ id: IntId }) },
  responses: { 204: { description: "Deleted." }, ...errorResponses },
});

export const registerDestroyRule = (app: App) =>
  app.openapi(route, async (c) => {
    requireAdmin(requireUser(c));
    const rule = await loadRule(c, c.req.valid("param").id);
    await deleteRule(c.get("db"), rule.inboxId, rule.id);
    return c.body(null, 204);
  });
