import { createRoute } from "@hono/zod-openapi";
import { pageContactProviders } from "../../db/queries/contacts";
import { type App, errorResponses, json } from "../../http/openapi";
import { requireUser } from "../../middleware/auth";
import { PageQuery, page, paginated, paginatedSchema } from "../../services/pagination";
import { requireAdmin } from "../../services/permissions";
import { ContactProviderSchema, toContactProviderWire } from "./schemas";

const route = createRoute({
  method: "get",
  path: "/contact_providers/",
  tags: ["Contact providers"],
  summary: "List contact providers",
  description:
    "Admins only. The inbox's address books, in the order their results are listed. Without any, the inbox uses the workspace's own book (`switchboard`) as if installed; once one is added, only the listed ones answer.",
  request: { query: PageQuery },
  responses: { 200: json(paginatedSchema(ContactProviderSchema), "A page of the inbox's contact providers."), ...errorResponses },
});

export const registerListContactProviders = (app: App) =>
  app.openapi(route, async (c) => {
    requireAdmin(requireUser(c));
    const p = page(c.req.valid("query"));
    const { rows, count } = await pageContactProviders(c.get("db"), c.get("inbox").id, p.limit, p.offset);
    return c.json(paginated(c.req.url, p, count, await Promise.all(rows.map((r) => toContactProviderWire(c.env, r)))), 200);
  });
