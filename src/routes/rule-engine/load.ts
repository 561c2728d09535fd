import type { Context } from "hono";
import type { AppEnv } from "../../context";
import { getRule, type Rule } from "../../db/queries/rules";
import { notFound } from "../../errors";
import { pathId } from "../../http/openapi";

export async function loadRule(c: Context<AppEnv>, id: string): Promise<Rule> {
  const rule = await getRule(c.get("db"), c.get("inbox").id, pathId(id));
  if (!rule) throw notFound();
  return rule;
}
