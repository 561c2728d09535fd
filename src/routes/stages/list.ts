import { createRoute } from "@hono/zod-openapi";
import { listStages } from "../../db/queries/stages";
import { type App, errorResponses, json } from "../../http/openapi";
import { requireUser } from "../../middleware/auth";
import { PageQuery, page, paginated, paginatedSchema } from "../../services/pagination";
import { StageSchema, toStageWire } from "./schemas";

const route = createRoute({
  method: "get",
  path: "/stages/",
  tags: ["Stages"],
  summary: "List stages",
  description: "Any user. The workspace's pipeline stages, by position, then name.",
  request: { query: PageQuery },
  responses: { 200: json(paginatedSchema(StageSchema), "A page of stages."), ...errorResponses },
});

export const registerListStages = (app: App) =>
  app.openapi(route, async (c) => {
    const user = requireUser(c);
    const p = page(c.req.valid("query"));
    const { rows, count } = await listStages(c.get("db"), user.workspaceId, p.limit, p.offset);
    return c.json(paginated(c.req.url, p, count, rows.map(toStageWire)), 200);
  });
