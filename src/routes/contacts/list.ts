import { createRoute } from "@hono/zod-openapi";
import { decodeCursor } from "../../contacts/cursor";
import { fieldErrors } from "../../errors";
import { type App, errorResponses, json } from "../../http/openapi";
import { requireUser } from "../../middleware/auth";
import { installedBooks, searchContacts } from "../../services/contacts";
import { ContactListSchema, ContactsQuery, MAX_CONTACTS_LIMIT, toContactResultWire } from "./schemas";

const route = createRoute({
  method: "get",
  path: "/contacts/",
  tags: ["Contacts"],
  summary: "Search contacts",
  description:
    "Asks every contact provider of the inbox (with none, the workspace's own book: the persons of its chats you may read). `limit` applies per provider, so a page holds up to `limit` × providers results. Paging: follow `next`, whose `pages` parameter is every provider's own cursor. A provider that fails is left out and named in `errors`; the answer stays a 200.",
  request: { query: ContactsQuery },
  responses: { 200: json(ContactListSchema, "A page of every provider's results."), ...errorResponses },
});

export const registerListContacts = (app: App) =>
  app.openapi(route, async (c) => {
    const user = requireUser(c);
    const query = c.req.valid("query");
    const cursor = query.pages ? decodeCursor(query.pages) : null;
    if (query.pages && !cursor) throw fieldErrors({ pages: ["Invalid cursor: use the `next` link of an earlier page."] });
    const limit = Math.min(query.limit ?? 20, MAX_CONTACTS_LIMIT);
    const sources = await installedBooks(c.env, c.get("db"), c.get("inbox"), user);
    const page = await searchContacts(sources, { search: query.search ?? "", limit, cursor });
    let next: string | null = null;
    if (page.next) {
      const url = new URL(c.req.url);
      url.searchParams.set("limit", String(limit));
      url.searchParams.set("pages", page.next);
      next = url.toString();
    }
    return c.json({ count: page.count, next, results: page.results.map(toContactResultWire), errors: page.errors }, 200);
  });
