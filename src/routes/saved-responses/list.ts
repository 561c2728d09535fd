import { createRoute } from "@hono/zod-openapi";
import { listSavedResponses } from "../../db/queries/saved-responses";
import { type App, errorResponses, json } from "../../http/openapi";
import { requireUser } from "../../middleware/auth";
import { page, paginated, paginatedSchema } from "../../services/pagination";
import { SavedResponseQuery, SavedResponseSchema, toSavedResponseWire } from "./schemas";

const route = createRoute({
  method: "get",
  path: "/saved_responses/",
  tags: ["Saved responses"],
  summary: "List saved responses",
  description: "The workspace's canned replies (every inbox shows them), newest first.",
  request: { query: SavedResponseQuery },
  responses: { 200: json(paginatedSchema(SavedResponseSchema), "A page of saved responses."), ...errorResponses },
});

export const registerListSavedResponses = (app: App) =>
  app.openapi(route, async (c) => {
    const user = requireUser(c);
    const query = c.req.valid("query");
    const p = page(query);
    const { rows, count } = await listSavedResponses(c.get("db"), user.workspaceId, query.search || undefined, p.limit, p.offset);
    return c.json(paginated(c.req.url, p, count, rows.map(toSavedResponseWire)), 200);
  });
