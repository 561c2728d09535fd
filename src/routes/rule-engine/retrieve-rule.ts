import { createRoute, z } from "@hono/zod-openapi";
import { type App, errorResponses, IntId, json } from "../../http/openapi";
import { requireUser } from "../../middleware/auth";
import { requireAdmin } from "../../services/permissions";
import { loadRule } from "./load";
import { RuleSchema, toRuleWire } from "./schemas";

const route = createRoute({
  method: "get",
  path: "/rule_engine/rules/{id}/",
  tags: ["Rule engine"],
  summary: "Retrieve a rule",
  request: { params: z.object({ id: IntId }) },
  responses: { 200: json(RuleSchema, "The rule."), ...errorResponses },
});

export const registerRetrieveRule = (app: App) =>
  app.openapi(route, async (c) => {
    requireAdmin(requireUser(c));
    return c.json(toRuleWire(await loadRule(c, c.req.valid("param").id)), 200);
  });
