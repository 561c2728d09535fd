import { createRoute } from "@hono/zod-openapi";
import { listGroups } from "../../db/queries/users";
import { type App, errorResponses, json } from "../../http/openapi";
import { requireUser } from "../../middleware/auth";
import { PageQuery, page, paginated, paginatedSchema } from "../../services/pagination";
import { GroupSchema } from "../../services/users";

const route = createRoute({
  method: "get",
  path: "/groups/",
  tags: ["Groups"],
  summary: "List groups",
  description: 'Every workspace has "Admin", "Regular user" and "App integration", one per role, and the custom groups its admins create.',
  request: { query: PageQuery },
  responses: { 200: json(paginatedSchema(GroupSchema), "A page of groups."), ...errorResponses },
});

export const registerListGroups = (app: App) =>
  app.openapi(route, async (c) => {
    requireUser(c);
    const p = page(c.req.valid("query"));
    const { rows, count } = await listGroups(c.get("db"), c.get("inbox").workspaceId, p.limit, p.offset);
    return c.json(paginated(c.req.url, p, count, rows), 200);
  });
