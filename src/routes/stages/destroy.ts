import { createRoute } from "@hono/zod-openapi";
import { deleteStage } from "../../db/queries/stages";
import { type App, errorResponses } from "../../http/openapi";
import { requireUser } from "../../middleware/auth";
import { requireAdmin } from "../../services/permissions";
import { loadStage } from "./load";
import { StageParams } from "./schemas";

const route = createRoute({
  method: "delete",
  path: "/stages/{id}/",
  tags: ["Stages"],
  summary: "Delete a stage",
  description: "Admins. Its contacts keep existing, in no stage (their `modified_on` moves).",
  request: { params: StageParams },
  responses: { 204: { description: "Deleted." }, ...errorResponses },
});

export const registerDestroyStage = (app: App) =>
  app.openapi(route, async (c) => {
    requireAdmin(requireUser(c));
    const stage = await loadStage(c, c.req.valid("param").id);
    await deleteStage(c.get("db"), stage.workspaceId, stage.id);
    return c.body(null, 204);
  });
