import { createRoute, z } from "@hono/zod-openapi";
import { getWebhook, updateWebhook } from "../../db/queries/webhooks";
import { notFound } from "../../errors";
import { bodyDoc, readBody } from "../../http/body";
import { type App, errorResponses, IntId, json } from "../../http/openapi";
import { loadWebhook } from "./load";
import { checkedUrl, toWebhookWire, WebhookBody, WebhookSchema } from "./schemas";

const Body = WebhookBody.omit({ user: true });
const describe = (method: "put" | "patch") =>
  createRoute({
    method,
    path: "/webhooks/waba/{id}/",
    tags: ["Webhooks"],
    summary: method === "put" ? "Replace a WABA webhook" : "Update a WABA webhook",
    description:
      "`PUT` needs `url`; flags left out keep their value. `is_active: true` resumes a webhook that was disabled (by you, a 410 Gone or five days of failures).",
    request: { params: z.object({ id: IntId }), body: bodyDoc(method === "put" ? Body : Body.partial()) },
    responses: { 200: json(WebhookSchema, "The webhook."), ...errorResponses },
  });

export const registerUpdateWebhook = (app: App) => {
  for (const method of ["put", "patch"] as const) {
    app.openapi(describe(method), async (c) => {
      const hook = await loadWebhook(c, c.req.valid("param").id);
      const body = await readBody(c, method === "put" ? Body : Body.partial());
      const values = {
        url: body.url === undefined ? undefined : checkedUrl(c, body.url),
        onIncomingMessage: body.on_incoming_message,
        onOutgoingMessage: body.on_outgoing_message,
        onAssigned: body.on_assigned,
        isActive: body.is_active,
        // A person's decision replaces the system's reason; resuming starts a fresh streak.
        ...(body.is_active === undefined ? {} : { disabledReason: null, failingSince: null }),
      };
      await updateWebhook(c.get("db"), hook.inboxId, hook.id, values);
      const saved = await getWebhook(c.get("db"), hook.inboxId, hook.id, null);
      if (!saved) throw notFound();
      return c.json(toWebhookWire(saved, c.get("baseUrl")), 200);
    });
  }
};
