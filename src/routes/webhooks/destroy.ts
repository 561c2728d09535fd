import { createRoute, z } from "@hono/zod-openapi";
import { deleteWebhook } from "../../db/queries/webhooks";
import { type App, errorResponses, IntId } from "../../http/openapi";
import { loadWebhook } from "./load";

const route = createRoute({
  method: "delete",
  path: "/webhooks/waba/{id}/",
  tags: ["Webhooks"],
  summary: "Delete a WABA webhook",
  description: "Its pending retries are dropped, and its delivery log goes with it.",
  request: { params: z.object({ id: IntId }) },
  responses: { 204: { description: "Deleted." }, ...errorResponses },
});

export const registerDestroyWebhook = (app: App) =>
  app.openapi(route, async (c) => {
    const hook = await loadWebhook(c, c.req.valid("param").id);
    await deleteWebhook(c.get("db"), hook.inboxId, hook.id);
    return c.body(null, 204);
  });
