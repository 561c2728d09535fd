import { createRoute } from "@hono/zod-openapi";
import { groupsOfUsers, listUsers } from "../../db/queries/users";
import { type App, errorResponses, json } from "../../http/openapi";
import { requireUser } from "../../middleware/auth";
import { PageQuery, page, paginated, paginatedSchema } from "../../services/pagination";
import { toUserWire, UserSchema } from "../../services/users";

const route = createRoute({
  method: "get",
  path: "/users/",
  tags: ["Users"],
  summary: "List users",
  description: "Every user of the workspace, oldest first (any authenticated user: assignment needs the list).",
  request: { query: PageQuery },
  responses: { 200: json(paginatedSchema(UserSchema), "A page of users."), ...errorResponses },
});

export const registerListUsers = (app: App) =>
  app.openapi(route, async (c) => {
    requireUser(c);
    const p = page(c.req.valid("query"));
    const { rows, count } = await listUsers(c.get("db"), c.get("inbox").workspaceId, p.limit, p.offset);
    const groups = await groupsOfUsers(
      c.get("db"),
      rows.map((u) => u.id),
    );
    const results = rows.map((u) => toUserWire(u, groups.get(u.id) ?? [], c.get("baseUrl")));
    return c.json(paginated(c.req.url, p, count, results), 200);
  });
