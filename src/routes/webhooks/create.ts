import { createRoute } from "@hono/zod-openapi";
import { config } from "../../config";
import { getUser } from "../../db/queries/users";
import { getWebhook, insertWebhook } from "../../db/queries/webhooks";
import { badRequest, fieldErrors, forbidden } from "../../errors";
import { bodyDoc, readBody } from "../../http/body";
import { type App, errorResponses, json } from "../../http/openapi";
import { requireUser } from "../../middleware/auth";
import { encryptJson } from "../../services/secrets";
import { newSecret } from "../../webhooks/signature";
import { checkedUrl, toWebhookWire, WebhookBody, WebhookWithSecretSchema } from "./schemas";

const route = createRoute({
  method: "post",
  path: "/webhooks/waba/",
  tags: ["Webhooks"],
  summary: "Create your WABA webhook",
  description:
    "One per user and inbox. The three event flags default to true. The answer carries the signing `secret` once: every delivery is signed per Standard Webhooks (`webhook-id`, `webhook-timestamp`, `webhook-signature`). A `?auth=` secret in the URL keeps working: the URL is called exactly as saved.",
  request: { body: bodyDoc(WebhookBody) },
  responses: { 201: json(WebhookWithSecretSchema, "The new webhook, with its secret."), ...errorResponses },
});

export const registerCreateWebhook = (app: App) =>
  app.openapi(route, async (c) => {
    const caller = requireUser(c);
    const body = await readBody(c, WebhookBody);
    const db = c.get("db");
    const inbox = c.get("inbox");
    const userId = body.user ?? caller.id;
    if (userId !== caller.id) {
      if (caller.role !== "admin") throw forbidden("Only admins can create a webhook for another user.");
      if (!(await getUser(db, inbox.workspaceId, userId))) throw fieldErrors({ user: [`Invalid pk "${userId}" - object does not exist.`] });
    }
    const url = checkedUrl(c, body.url);
    const secret = newSecret();
    const saved = await insertWebhook(db, {
      inboxId: inbox.id,
      userId,
      url,
      onIncomingMessage: body.on_incoming_message ?? true,
      onOutgoingMessage: body.on_outgoing_message ?? true,
      onAssigned: body.on_assigned ?? true,
      isActive: body.is_active ?? true,
      secret: await encryptJson(config(c.env).SECRET_KEY, { secret }),
    });
    if (!saved) throw badRequest("This user already has a WABA webhook on this inbox: change or delete it.");
    const hook = await getWebhook(db, inbox.id, saved.id, null);
    if (!hook) throw badRequest("The webhook's user no longer exists.");
    return c.json({ ...toWebhookWire(hook, c.get("baseUrl")), secret }, 201);
  });
