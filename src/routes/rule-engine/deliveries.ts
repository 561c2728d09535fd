import { createRoute, z } from "@hono/zod-openapi";
import { type App, errorResponses, json } from "../../http/openapi";
import { requireUser } from "../../middleware/auth";
import { paginatedSchema } from "../../services/pagination";
import { requireAdmin } from "../../services/permissions";
import { ENGINE_RECEIVER } from "../../webhooks/fan-out";
import { deliveryPage, redeliver } from "../webhooks/deliveries";
import { DeliveryQuery, DeliverySchema } from "../webhooks/schemas";

const list = createRoute({
  method: "get",
  path: "/rule_engine/deliveries/",
  tags: ["Rule engine"],
  summary: "List calls to the custom engine",
  description:
    "Admins. Newest first, every attempt logged; `error` on a delivered call says which parts of the answer were ignored and why.",
  request: { query: DeliveryQuery },
  responses: { 200: json(paginatedSchema(DeliverySchema), "A page of engine calls."), ...errorResponses },
});
const again = createRoute({
  method: "post",
  path: "/rule_engine/deliveries/{delivery_id}/redeliver/",
  tags: ["Rule engine"],
  summary: "Call the engine again",
  request: { params: z.object({ delivery_id: z.string().max(100) }) },
  responses: { 202: json(DeliverySchema, "The call, pending again."), ...errorResponses },
});

export const registerEngineDeliveries = (app: App) => {
  app.openapi(list, async (c) => {
    requireAdmin(requireUser(c));
    return deliveryPage(c, ENGINE_RECEIVER, c.req.valid("query"));
  });
  app.openapi(again, async (c) => {
    requireAdmin(requireUser(c));
    return redeliver(c, ENGINE_RECEIVER, c.req.valid("param").delivery_id);
  });
};
