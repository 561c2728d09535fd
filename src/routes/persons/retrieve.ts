import { createRoute, z } from "@hono/zod-openapi";
import { ContactObjectSchema } from "../../contacts/wire";
import { listChats } from "../../db/queries/chats";
import { notFound } from "../../errors";
import { type App, errorResponses, json } from "../../http/openapi";
import { requestScope } from "../../http/scope";
import { WaId } from "../../services/chat-scope";
import { ContactSchema, toContactWire } from "../../services/messages";
import { linkedContactObject } from "../../services/workspace-contacts";

const retrieve = createRoute({
  method: "get",
  path: "/persons/{wa_id}/",
  tags: ["Persons"],
  summary: "Retrieve a person",
  request: { params: z.object({ wa_id: WaId }) },
  description:
    "The list's person plus `workspace_contact`: the workspace contact linked to this number (`whatsapp:<wa_id>`, else `tel:+<wa_id>`), or null.",
  responses: {
    200: json(ContactSchema.extend({ workspace_contact: ContactObjectSchema.nullable() }).openapi("PersonDetail"), "The person."),
    ...errorResponses,
  },
});

export const registerRetrievePerson = (app: App) =>
  app.openapi(retrieve, async (c) => {
    const scope = { ...(await requestScope(c)), waId: c.req.valid("param").wa_id };
    const { rows } = await listChats(c.get("db"), scope, 1, 0);
    if (!rows[0]) throw notFound();
    const contact = await linkedContactObject(c.get("db"), c.get("inbox").workspaceId, rows[0].wa_id);
    return c.json({ ...toContactWire(rows[0]), workspace_contact: contact }, 200);
  });
