import { createRoute } from "@hono/zod-openapi";
import { insertStage } from "../../db/queries/stages";
import { bodyDoc, readBody } from "../../http/body";
import { type App, errorResponses, json } from "../../http/openapi";
import { requireUser } from "../../middleware/auth";
import { requireAdmin } from "../../services/permissions";
import { StageBody, StageSchema, toStageWire, uniqueStageName } from "./schemas";

const route = createRoute({
  method: "post",
  path: "/stages/",
  tags: ["Stages"],
  summary: "Create a stage",
  description:
    "Admins. `name`: 1 to 100 characters, unique in the workspace ignoring case; `position`: an integer ≥ 0, by default after the last stage.",
  request: { body: bodyDoc(StageBody) },
  responses: { 201: json(StageSchema, "The new stage."), ...errorResponses },
});

export const registerCreateStage = (app: App) =>
  app.openapi(route, async (c) => {
    const user = requireUser(c);
    requireAdmin(user);
    const { name, position } = await readBody(c, StageBody);
    const stage = await uniqueStageName(() => insertStage(c.get("db"), user.workspaceId, name, position));
    return c.json(toStageWire(stage), 201);
  });
