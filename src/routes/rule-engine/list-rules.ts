import { createRoute } from "@hono/zod-openapi";
import { listRules } from "../../db/queries/rules";
import { type App, errorResponses, json } from "../../http/openapi";
import { requireUser } from "../../middleware/auth";
import { PageQuery, page, paginated, paginatedSchema } from "../../services/pagination";
import { requireAdmin } from "../../services/permissions";
import { RuleSchema, toRuleWire } from "./schemas";

const route = createRoute({
  method: "get",
  path: "/rule_engine/rules/",
  tags: ["Rule engine"],
  summary: "List the default engine's rules",
  description: "Admins. Rules of this inbox, in the order they were created.",
  request: { query: PageQuery },
  responses: { 200: json(paginatedSchema(RuleSchema), "A page of rules."), ...errorResponses },
});

export const registerListRules = (app: App) =>
  app.openapi(route, async (c) => {
    requireAdmin(requireUser(c));
    const p = page(c.req.valid("query"));
    const { rows, count } = await listRules(c.get("db"), c.get("inbox").id, p.limit, p.offset);
    return c.json(paginated(c.req.url, p, count, rows.map(toRuleWire)), 200);
  });
