import { createRoute } from "@hono/zod-openapi";
import { type App, errorResponses, json } from "../../http/openapi";
import { requireUser } from "../../middleware/auth";
import { loadStage } from "./load";
import { StageParams, StageSchema, toStageWire } from "./schemas";

const route = createRoute({
  method: "get",
  path: "/stages/{id}/",
  tags: ["Stages"],
  summary: "Retrieve a stage",
  description: "Any user.",
  request: { params: StageParams },
  responses: { 200: json(StageSchema, "The stage."), ...errorResponses },
});

export const registerRetrieveStage = (app: App) =>
  app.openapi(route, async (c) => {
    requireUser(c);
    return c.json(toStageWire(await loadStage(c, c.req.valid("param").id)), 200);
  });
