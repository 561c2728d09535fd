import { createRoute, z } from "@hono/zod-openapi";
import { bodyDoc, readBody } from "../../http/body";
import { type App, errorResponses, json } from "../../http/openapi";
import { requireUser } from "../../middleware/auth";
import { sendMessage } from "../../services/send";
import { SendMessageBody } from "./send-schemas";

const route = createRoute({
  method: "post",
  path: "/messages/",
  tags: ["Messages"],
  summary: "Send a message",
  description:
    "Sends through the inbox's provider and stores the message. Needs write permission on the chat (by default: admins everywhere, others where assigned). Outside the 24-hour customer-service window only `template`/`hsm` go out. Upstream errors answer 502 with the provider's error; nothing is then recorded.",
  request: { body: bodyDoc(SendMessageBody) },
  responses: {
    201: json(z.object({ waba_response: z.record(z.string(), z.unknown()) }), "The provider's answer."),
    502: json(z.record(z.string(), z.unknown()), "The provider refused or could not be reached."),
    ...errorResponses,
  },
});

export const registerCreateMessage = (app: App) =>
  app.openapi(route, async (c) => {
    const body = await readBody(c, SendMessageBody);
    const waba_response = await sendMessage(c.env, c.get("db"), c.get("inbox"), requireUser(c), body);
    return c.json({ waba_response }, 201);
  });
