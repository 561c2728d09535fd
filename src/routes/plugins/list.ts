import { createRoute, z } from "@hono/zod-openapi";
import { listPlugins } from "../../db/queries/plugins";
import { type App, errorResponses, json } from "../../http/openapi";
import { requireUser } from "../../middleware/auth";
import { PLUGINS } from "../../plugins";
import { requireAdmin } from "../../services/permissions";
import { PluginSchema, toPluginWire } from "./schemas";

const describe = (type: string) => PLUGINS[type]?.description ?? "";

const route = createRoute({
  method: "get",
  path: "/plugins/",
  tags: ["Plugins"],
  summary: "List installed plugins",
  description: "Admins. A plain list: an inbox has at most one plugin of each type.",
  responses: { 200: json(z.array(PluginSchema), "The installed plugins."), ...errorResponses },
});

export const registerListPlugins = (app: App) =>
  app.openapi(route, async (c) => {
    requireAdmin(requireUser(c));
    const rows = await listPlugins(c.get("db"), c.get("inbox").id);
    return c.json(
      rows.map((p) => toPluginWire(p, describe(p.type))),
      200,
    );
  });
