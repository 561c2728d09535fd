import { createRoute, z } from "@hono/zod-openapi";
import { saveRule } from "../../db/queries/rules";
import { notFound } from "../../errors";
import { bodyDoc, readBody } from "../../http/body";
import { type App, errorResponses, IntId, json } from "../../http/openapi";
import { requireUser } from "../../middleware/auth";
import { requireAdmin } from "../../services/permissions";
import { loadRule } from "./load";
import { checkedRule, RuleBody, RuleSchema, toRuleWire, uniqueTrigger } from "./schemas";

const describe = (method: "put" | "patch") =>
  createRoute({
    method,
    path: "/rule_engine/rules/{id}/",
    tags: ["Rule engine"],
    summary: method === "put" ? "Replace a rule" : "Update a rule",
    description: "Admins. `PUT` sets every field (left out: null); `PATCH` only those given.",
    request: { params: z.object({ id: IntId }), body: bodyDoc(RuleBody) },
    responses: { 200: json(RuleSchema, "The rule."), ...errorResponses },
  });

export const registerUpdateRule = (app: App) => {
  for (const method of ["put", "patch"] as const) {
    app.openapi(describe(method), async (c) => {
      requireAdmin(requireUser(c));
      const rule = await loadRule(c, c.req.valid("param").id);
      const values = await checkedRule(c, await readBody(c, RuleBody), method === "patch" ? rule : undefined);
      const saved = await uniqueTrigger(() => saveRule(c.get("db"), rule.inboxId, rule.id, values));
      if (!saved) throw notFound();
      return c.json(toRuleWire(saved), 200);
    });
  }
};
