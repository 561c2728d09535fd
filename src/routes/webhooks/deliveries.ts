import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { AppEnv } from "../../context";
import { getDelivery, listDeliveries, setDeliveryState } from "../../db/queries/webhooks";
import { notFound } from "../../errors";
import { type App, errorResponses, IntId, json } from "../../http/openapi";
import { enqueueDeliveries } from "../../queues/jobs";
import { page, paginated, paginatedSchema } from "../../services/pagination";
import { webhookReceiver } from "../../webhooks/fan-out";
import { loadWebhook } from "./load";
import { DeliveryQuery, DeliverySchema, toDeliveryWire } from "./schemas";

/** A receiver's delivery log, newest first (webhooks here; the rule engine's reuses it). */
export async function deliveryPage(c: Context<AppEnv>, receiver: string, query: z.infer<typeof DeliveryQuery>) {
  const p = page(query);
  const { rows, count } = await listDeliveries(c.get("db"), c.get("inbox").id, receiver, query.state, p.limit, p.offset);
  return c.json(paginated(c.req.url, p, count, rows.map(toDeliveryWire)), 200);
}

/** Sends a delivery again, with the same body and `webhook-id`. */
export async function redeliver(c: Context<AppEnv>, receiver: string, id: string) {
  const db = c.get("db");
  const delivery = await getDelivery(db, c.get("inbox").id, receiver, id);
  if (!delivery) throw notFound();
  await setDeliveryState(db, delivery.id, "pending");
  await enqueueDeliveries(c.env, [delivery.id]);
  return c.json(toDeliveryWire({ ...delivery, state: "pending" }), 202);
}

const list = createRoute({
  method: "get",
  path: "/webhooks/waba/{id}/deliveries/",
  tags: ["Webhooks"],
  summary: "List a webhook's deliveries",
  description: "Newest first; every attempt with its status code (null when no answer came), latency and the start of the answer.",
  request: { params: z.object({ id: IntId }), query: DeliveryQuery },
  responses: { 200: json(paginatedSchema(DeliverySchema), "A page of deliveries."), ...errorResponses },
});

const again = createRoute({
  method: "post",
  path: "/webhooks/waba/{id}/deliveries/{delivery_id}/redeliver/",
  tags: ["Webhooks"],
  summary: "Redeliver",
  description: "Queues the delivery again: the same body, the same `webhook-id`.",
  request: { params: z.object({ id: IntId, delivery_id: z.string().max(100) }) },
  responses: { 202: json(DeliverySchema, "The delivery, pending again."), ...errorResponses },
});

export const registerDeliveries = (app: App) => {
  app.openapi(list, async (c) => {
    const hook = await loadWebhook(c, c.req.valid("param").id);
    return deliveryPage(c, webhookReceiver(hook.id), c.req.valid("query"));
  });
  app.openapi(again, async (c) => {
    const { id, delivery_id } = c.req.valid("param");
    const hook = await loadWebhook(c, id);
    return redeliver(c, webhookReceiver(hook.id), delivery_id);
  });
};
