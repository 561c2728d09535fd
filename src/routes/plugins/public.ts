import { createRoute, z } from "@hono/zod-openapi";
import { getPlugin } from "../../db/queries/plugins";
import { fieldErrors, notFound } from "../../errors";
import { type App, errorResponses, json } from "../../http/openapi";
import { requireUser } from "../../middleware/auth";
import { PLUGINS } from "../../plugins";
import { PluginType } from "./schemas";

const route = createRoute({
  method: "get",
  path: "/plugins/{type}/public/",
  tags: ["Plugins"],
  summary: "A plugin's public data",
  description:
    "Any user. The public, read-only data of a plugin installed on the inbox; the request's other query parameters are passed to it (`templates`: `name`, `language`). A type not installed is a 404.",
  request: { params: z.object({ type: PluginType }) },
  responses: { 200: json(z.object({ response: z.record(z.string(), z.unknown()) }), "The plugin's answer."), ...errorResponses },
});

export const registerPluginPublicData = (app: App) =>
  app.openapi(route, async (c) => {
    requireUser(c);
    const { type } = c.req.valid("param");
    const inbox = c.get("inbox");
    const db = c.get("db");
    const plugin = PLUGINS[type];
    const installed = plugin ? await getPlugin(db, inbox.id, type) : undefined;
    if (!plugin || !installed) throw notFound();
    const config = plugin.config.safeParse(installed.config);
    // A stored config the type no longer reads (changed since install) is the inbox's to fix: say so.
    if (!config.success) throw fieldErrors({ config: [`The installed "${type}" plugin's config is no longer valid: install it again.`] });
    const response = await plugin.publicData({ db, inbox, config: config.data, query: c.req.query() });
    return c.json({ response }, 200);
  });
