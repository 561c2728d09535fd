import { createRoute } from "@hono/zod-openapi";
import { listWebhooks } from "../../db/queries/webhooks";
import { type App, errorResponses, json } from "../../http/openapi";
import { PageQuery, page, paginated, paginatedSchema } from "../../services/pagination";
import { ownerFilter } from "./load";
import { toWebhookWire, WebhookSchema } from "./schemas";

const route = createRoute({
  method: "get",
  path: "/webhooks/waba/",
  tags: ["Webhooks"],
  summary: "List WABA webhooks",
  description: "Admins see every user's webhook on this inbox; others a list of their own (at most one).",
  request: { query: PageQuery },
  responses: { 200: json(paginatedSchema(WebhookSchema), "A page of webhooks."), ...errorResponses },
});

export const registerListWebhooks = (app: App) =>
  app.openapi(route, async (c) => {
    const p = page(c.req.valid("query"));
    const { rows, count } = await listWebhooks(c.get("db"), c.get("inbox").id, ownerFilter(c), p.limit, p.offset);
    return c.json(
      paginated(
        c.req.url,
        p,
        count,
        rows.map((w) => toWebhookWire(w, c.get("baseUrl"))),
      ),
      200,
    );
  });
