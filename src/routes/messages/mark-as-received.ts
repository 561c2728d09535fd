import { createRoute, z } from "@hono/zod-openapi";
import { listChats, setReceivedMark } from "../../db/queries/chats";
import { notFound } from "../../errors";
import { bodyDoc, readBody } from "../../http/body";
import { type App, errorResponses, json } from "../../http/openapi";
import { requestScope } from "../../http/scope";
import { requireUser } from "../../middleware/auth";
import { WaId } from "../../services/chat-scope";

const Body = z.object({
  timestamp: z.coerce.number().int().min(0),
  customer_wa_id: WaId,
});

const route = createRoute({
  method: "post",
  path: "/mark_as_received/",
  tags: ["Messages"],
  summary: "Mark messages as received",
  description: "Sets your received mark for the chat: its messages up to `timestamp` count as received by you (only you).",
  request: { body: bodyDoc(Body) },
  responses: { 200: json(z.object({}), "Marked."), ...errorResponses },
});

export const registerMarkAsReceived = (app: App) =>
  app.openapi(route, async (c) => {
    const user = requireUser(c);
    const body = await readBody(c, Body);
    const scope = { ...(await requestScope(c)), waId: body.customer_wa_id };
    const { count } = await listChats(c.get("db"), scope, 1, 0);
    if (count === 0) throw notFound();
    await setReceivedMark(c.get("db"), user.id, scope.inboxId, body.customer_wa_id, body.timestamp, false);
    return c.json({}, 200);
  });
