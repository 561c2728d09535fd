import { createRoute } from "@hono/zod-openapi";
import { saveRule } from "../../db/queries/rules";
import { notFound } from "../../errors";
import { bodyDoc, readBody } from "../../http/body";
import { type App, errorResponses, json } from "../../http/openapi";
import { requireUser } from "../../middleware/auth";
import { requireAdmin } from "../../services/permissions";
import { checkedRule, RuleBody, RuleSchema, toRuleWire, uniqueTrigger } from "./schemas";

const route = createRoute({
  method: "post",
  path: "/rule_engine/rules/",
  tags: ["Rule engine"],
  summary: "Create a rule",
  description:
    "Admins. `tagged_with` a tag (the rule runs when a chat or message gets it) or null (a fresh incoming message in a chat nobody is assigned to); exactly one of `assign_to_user` and `assign_to_group`, the latter with `group_assign_method`. One rule per `tagged_with`.",
  request: { body: bodyDoc(RuleBody) },
  responses: { 201: json(RuleSchema, "The new rule."), ...errorResponses },
});

export const registerCreateRule = (app: App) =>
  app.openapi(route, async (c) => {
    requireAdmin(requireUser(c));
    const values = await checkedRule(c, await readBody(c, RuleBody));
    const rule = await uniqueTrigger(() => saveRule(c.get("db"), c.get("inbox").id, null, values));
    if (!rule) throw notFound();
    return c.json(toRuleWire(rule), 201);
  });
