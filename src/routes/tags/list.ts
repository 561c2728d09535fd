import { createRoute } from "@hono/zod-openapi";
import { listTags } from "../../db/queries/tags";
import { type App, errorResponses, json } from "../../http/openapi";
import { requireUser } from "../../middleware/auth";
import { PageQuery, page, paginated, paginatedSchema } from "../../services/pagination";
import { TagSchema, toTagWire } from "./schemas";

const route = createRoute({
  method: "get",
  path: "/tags/",
  tags: ["Tags"],
  summary: "List tags",
  description: "Every tag of the workspace, oldest first. Any user.",
  request: { query: PageQuery },
  responses: { 200: json(paginatedSchema(TagSchema), "A page of tags."), ...errorResponses },
});

export const registerListTags = (app: App) =>
  app.openapi(route, async (c) => {
    requireUser(c);
    const p = page(c.req.valid("query"));
    const { rows, count } = await listTags(c.get("db"), c.get("inbox").workspaceId, p.limit, p.offset);
    return c.json(paginated(c.req.url, p, count, rows.map(toTagWire)), 200);
  });
