import { createRoute, z } from "@hono/zod-openapi";
import { config } from "../../config";
import { updateWebhook } from "../../db/queries/webhooks";
import { type App, errorResponses, IntId, json } from "../../http/openapi";
import { encryptJson } from "../../services/secrets";
import { newSecret } from "../../webhooks/signature";
import { loadWebhook } from "./load";
import { toWebhookWire, WebhookWithSecretSchema } from "./schemas";

/** After a rotation the old secret signs too, for this long, so receivers can switch over. */
const PREVIOUS_SECRET_S = 86_400;

const route = createRoute({
  method: "post",
  path: "/webhooks/waba/{id}/rotate_secret/",
  tags: ["Webhooks"],
  summary: "Rotate a webhook's signing secret",
  description: "Answers the new secret once. For 24 hours every delivery carries a signature with the old secret too.",
  request: { params: z.object({ id: IntId }) },
  responses: { 200: json(WebhookWithSecretSchema, "The webhook, with its new secret."), ...errorResponses },
});

export const registerRotateSecret = (app: App) =>
  app.openapi(route, async (c) => {
    const hook = await loadWebhook(c, c.req.valid("param").id);
    const secret = newSecret();
    await updateWebhook(c.get("db"), hook.inboxId, hook.id, {
      secret: await encryptJson(config(c.env).SECRET_KEY, { secret }),
      previousSecret: hook.secret,
      previousSecretUntil: Math.floor(Date.now() / 1000) + PREVIOUS_SECRET_S,
    });
    return c.json({ ...toWebhookWire(hook, c.get("baseUrl")), secret }, 200);
  });
