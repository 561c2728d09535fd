import { createRoute, z } from "@hono/zod-openapi";
import { notFound } from "../../errors";
import { type App, errorResponses, json } from "../../http/openapi";
import { WaId } from "../../services/chat-scope";
import { ChatSchema } from "../../services/messages";
import { chatPage } from "./page";

const retrieve = createRoute({
  method: "get",
  path: "/chats/{wa_id}/",
  tags: ["Chats"],
  summary: "Retrieve a chat",
  request: { params: z.object({ wa_id: WaId }) },
  responses: { 200: json(ChatSchema, "The chat."), ...errorResponses },
});

export const registerRetrieveChat = (app: App) =>
  app.openapi(retrieve, async (c) => {
    const { results } = await chatPage(c, {}, c.req.valid("param").wa_id, 1, 0);
    if (!results[0]) throw notFound();
    return c.json(results[0], 200);
  });
