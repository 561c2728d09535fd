import { createRoute } from "@hono/zod-openapi";
import { type App, errorResponses, json } from "../../http/openapi";
import { ChatFilterQuery } from "../../services/chat-scope";
import { ChatSchema } from "../../services/messages";
import { PageQuery, page, paginated, paginatedSchema } from "../../services/pagination";
import { chatPage } from "./page";

const list = createRoute({
  method: "get",
  path: "/chats/",
  tags: ["Chats"],
  summary: "List chats",
  description:
    "Chats you may read, newest `last_message_timestamp` first, with your own `new_messages` count (up to 100). `limit` defaults to 100.",
  request: { query: PageQuery.extend(ChatFilterQuery.shape) },
  responses: { 200: json(paginatedSchema(ChatSchema), "A page of chats."), ...errorResponses },
});

export const registerListChats = (app: App) =>
  app.openapi(list, async (c) => {
    const query = c.req.valid("query");
    const p = page(query, 100);
    const { results, count } = await chatPage(c, query, undefined, p.limit, p.offset);
    return c.json(paginated(c.req.url, p, count, results), 200);
  });
