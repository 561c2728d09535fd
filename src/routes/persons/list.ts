import { createRoute, z } from "@hono/zod-openapi";
import { listChats } from "../../db/queries/chats";
import { type App, errorResponses, json } from "../../http/openapi";
import { requestScope } from "../../http/scope";
import { ContactSchema, toContactWire } from "../../services/messages";
import { PageQuery, page, paginated, paginatedSchema } from "../../services/pagination";

const list = createRoute({
  method: "get",
  path: "/persons/",
  tags: ["Persons"],
  summary: "List persons",
  description: "Contacts of the chats you may read, most recent first; `search` matches names and number fragments.",
  request: { query: PageQuery.extend({ search: z.string().max(200).optional() }) },
  responses: { 200: json(paginatedSchema(ContactSchema), "A page of persons."), ...errorResponses },
});

export const registerListPersons = (app: App) =>
  app.openapi(list, async (c) => {
    const query = c.req.valid("query");
    const scope = await requestScope(c, { search: query.search });
    const p = page(query);
    // Persons are found by name or number, not by message text.
    const { rows, count } = await listChats(c.get("db"), { ...scope, match: null }, p.limit, p.offset);
    return c.json(paginated(c.req.url, p, count, rows.map(toContactWire)), 200);
  });
