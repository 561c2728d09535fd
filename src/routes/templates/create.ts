import { createRoute } from "@hono/zod-openapi";
import { getSync } from "../../db/queries/upstream-syncs";
import { bodyDoc, readBody } from "../../http/body";
import { type App, errorResponses, json } from "../../http/openapi";
import { requireUser } from "../../middleware/auth";
import { requireAdmin } from "../../services/permissions";
import { createTemplate, templateNamespace, templateSource } from "../../services/templates";
import { TemplateBody, TemplateSchema, toTemplateWire, upstreamCategory } from "./schemas";

const route = createRoute({
  method: "post",
  path: "/templates/",
  tags: ["Templates"],
  summary: "Create a message template",
  description:
    "Admins. Submitted to the provider for approval (sandbox inboxes approve at once); editing is not supported: delete the template and create it again. 501 where the provider has no template API; 502 with `waba_response` when the provider refuses it.",
  request: { body: bodyDoc(TemplateBody) },
  responses: { 201: json(TemplateSchema, "The template as the provider took it."), ...errorResponses },
});

export const registerCreateTemplate = (app: App) =>
  app.openapi(route, async (c) => {
    requireAdmin(requireUser(c));
    const body = await readBody(c, TemplateBody);
    const inbox = c.get("inbox");
    const db = c.get("db");
    const source = await templateSource(c.env, inbox);
    const created = await createTemplate(db, inbox, source, { ...body, category: upstreamCategory(body.category) });
    const namespace = templateNamespace(inbox, await getSync(db, inbox.id, "templates"));
    return c.json(toTemplateWire(created, namespace), 201);
  });
