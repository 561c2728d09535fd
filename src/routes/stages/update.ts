import { createRoute } from "@hono/zod-openapi";
import { updateStage } from "../../db/queries/stages";
import { notFound } from "../../errors";
import { bodyDoc, readBody } from "../../http/body";
import { type App, errorResponses, json } from "../../http/openapi";
import { requireUser } from "../../middleware/auth";
import { requireAdmin } from "../../services/permissions";
import { loadStage } from "./load";
import { StageParams, StagePatch, StageSchema, toStageWire, uniqueStageName } from "./schemas";

const route = createRoute({
  method: "patch",
  path: "/stages/{id}/",
  tags: ["Stages"],
  summary: "Rename or move a stage",
  description: "Admins. Either field or both, validated as on creation.",
  request: { params: StageParams, body: bodyDoc(StagePatch) },
  responses: { 200: json(StageSchema, "The stage."), ...errorResponses },
});

export const registerUpdateStage = (app: App) =>
  app.openapi(route, async (c) => {
    requireAdmin(requireUser(c));
    const stage = await loadStage(c, c.req.valid("param").id);
    const changes = await readBody(c, StagePatch);
    const saved = await uniqueStageName(() => updateStage(c.get("db"), stage.workspaceId, stage.id, changes));
    if (!saved) throw notFound(); // deleted meanwhile
    return c.json(toStageWire(saved), 200);
  });
