import { createRoute, z } from "@hono/zod-openapi";
import { listChats } from "../../db/queries/chats";
import { notFound } from "../../errors";
import { type App, errorResponses, json } from "../../http/openapi";
import { requestScope } from "../../http/scope";
import { WaId } from "../../services/chat-scope";
import { ContactSchema, toContactWire } from "../../services/messages";

const retrieve = createRoute({
  method: "get",
  path: "/persons/{wa_id}/",
  tags: ["Persons"],
  summary: "Retrieve a person",
  request: { params: z.object({ wa_id: WaId }) },
  responses: { 200: json(ContactSchema, "The person."), ...errorResponses },
});

export const registerRetrievePerson = (app: App) =>
  app.openapi(retrieve, async (c) => {
    const scope = { ...(await requestScope(c)), waId: c.req.valid("param").wa_id };
    const { rows } = await listChats(c.get("db"), scope, 1, 0);
    if (!rows[0]) throw notFound();
    return c.json(toContactWire(rows[0]), 200);
  });
