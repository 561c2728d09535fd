import { createRoute } from "@hono/zod-openapi";
import type { Context } from "hono";
import { config } from "../../config";
import type { AppEnv } from "../../context";
import { getRuleEngine, type RuleEngine, saveRuleEngine } from "../../db/queries/rules";
import { fieldErrors } from "../../errors";
import { bodyDoc, readBody } from "../../http/body";
import { type App, errorResponses, json } from "../../http/openapi";
import { requireUser } from "../../middleware/auth";
import { requireAdmin } from "../../services/permissions";
import { encryptJson } from "../../services/secrets";
import { checkedUrl } from "../webhooks/schemas";
import { EngineBody, EngineSchema } from "./schemas";

const toWire = (e: RuleEngine | undefined) => ({ mode: e?.mode ?? "default", url: e?.url ?? null, header_names: e?.headerNames ?? [] });

const get = createRoute({
  method: "get",
  path: "/rule_engine/",
  tags: ["Rule engine"],
  summary: "The inbox's rule engine",
  description: "Admins. `default` runs this inbox's rules; `custom` POSTs each event to `url` and applies the assignments it answers.",
  responses: { 200: json(EngineSchema, "The engine."), ...errorResponses },
});
const describe = (method: "put" | "patch") =>
  createRoute({
    method,
    path: "/rule_engine/",
    tags: ["Rule engine"],
    summary: method === "put" ? "Set the rule engine" : "Change the rule engine",
    description:
      "Admins. `custom` needs a public https `url` (checked like webhook URLs). `headers` are write-only and replace the previous ones when given.",
    request: { body: bodyDoc(method === "put" ? EngineBody : EngineBody.partial()) },
    responses: { 200: json(EngineSchema, "The engine."), ...errorResponses },
  });

async function update(
  c: Context<AppEnv>,
  body: Partial<{ mode: "default" | "custom"; url: string | null; headers: Record<string, string> }>,
  replace: boolean,
) {
  const db = c.get("db");
  const inboxId = c.get("inbox").id;
  const before = await getRuleEngine(db, inboxId);
  const mode = body.mode ?? before?.mode ?? "default";
  const url = body.url === undefined ? (replace ? null : (before?.url ?? null)) : body.url || null;
  if (mode === "custom" && !url) throw fieldErrors({ url: ["This field is required for a custom engine."] });
  const headers = body.headers ?? (replace ? {} : undefined);
  const engine: RuleEngine = {
    inboxId,
    mode,
    url: url === null ? null : checkedUrl(c, url),
    headers: headers === undefined ? (before?.headers ?? null) : await encryptJson(config(c.env).SECRET_KEY, headers),
    headerNames: headers === undefined ? (before?.headerNames ?? []) : Object.keys(headers),
  };
  await saveRuleEngine(db, engine);
  return c.json(toWire(engine), 200);
}

export const registerEngine = (app: App) => {
  app.openapi(get, async (c) => {
    requireAdmin(requireUser(c));
    return c.json(toWire(await getRuleEngine(c.get("db"), c.get("inbox").id)), 200);
  });
  app.openapi(describe("put"), async (c) => {
    requireAdmin(requireUser(c));
    return update(c, await readBody(c, EngineBody), true);
  });
  app.openapi(describe("patch"), async (c) => {
    requireAdmin(requireUser(c));
    return update(c, await readBody(c, EngineBody.partial()), false);
  });
};
