import { createRoute, z } from "@hono/zod-openapi";
import { type App, errorResponses, IntId, json } from "../../http/openapi";
import { loadWebhook } from "./load";
import { toWebhookWire, WebhookSchema } from "./schemas";

const route = createRoute({
  method: "get",
  path: "/webhooks/waba/{id}/",
  tags: ["Webhooks"],
  summary: "Retrieve a WABA webhook",
  request: { params: z.object({ id: IntId }) },
  responses: { 200: json(WebhookSchema, "The webhook."), ...errorResponses },
});

export const registerRetrieveWebhook = (app: App) =>
  app.openapi(route, async (c) => c.json(toWebhookWire(await loadWebhook(c, c.req.valid("param").id), c.get("baseUrl")), 200));
