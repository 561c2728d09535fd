import { createRoute } from "@hono/zod-openapi";
import { listTemplates } from "../../db/queries/templates";
import { type App, errorResponses, json } from "../../http/openapi";
import { requireUser } from "../../middleware/auth";
import { PageQuery, page, paginated, paginatedSchema } from "../../services/pagination";
import { freshTemplates, templateNamespace, templateSource } from "../../services/templates";
import { TemplateSchema, toTemplateWire } from "./schemas";

const route = createRoute({
  method: "get",
  path: "/templates/",
  tags: ["Templates"],
  summary: "List message templates",
  description:
    "Any user. Served from the inbox's copy of the number's templates, refreshed from the provider at most every five minutes (in the background) and on `message_template_status_update` webhooks; only the first list waits for the provider. Always a 2xx page: empty where the provider has no template API (on-premises; Cloud without `waba_id`).",
  request: { query: PageQuery },
  responses: { 200: json(paginatedSchema(TemplateSchema), "A page of templates, by name and language."), ...errorResponses },
});

export const registerListTemplates = (app: App) =>
  app.openapi(route, async (c) => {
    requireUser(c);
    const inbox = c.get("inbox");
    const db = c.get("db");
    const p = page(c.req.valid("query"));
    const source = await templateSource(c.env, inbox);
    if (source.kind === "none") return c.json(paginated(c.req.url, p, 0, []), 200);
    const sync = await freshTemplates(db, inbox, source, (work) => c.executionCtx.waitUntil(work));
    const namespace = templateNamespace(inbox, sync);
    const { rows, count } = await listTemplates(db, inbox.id, p.limit, p.offset);
    return c.json(
      paginated(
        c.req.url,
        p,
        count,
        rows.map((t) => toTemplateWire(t, namespace)),
      ),
      200,
    );
  });
