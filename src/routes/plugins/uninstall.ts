import { createRoute, z } from "@hono/zod-openapi";
import { uninstallPlugin } from "../../db/queries/plugins";
import { notFound } from "../../errors";
import { type App, errorResponses } from "../../http/openapi";
import { requireUser } from "../../middleware/auth";
import { requireAdmin } from "../../services/permissions";
import { PluginType } from "./schemas";

const route = createRoute({
  method: "delete",
  path: "/plugins/{type}/",
  tags: ["Plugins"],
  summary: "Uninstall a plugin",
  description: "Admins.",
  request: { params: z.object({ type: PluginType }) },
  responses: { 204: { description: "Uninstalled." }, ...errorResponses },
});

export const registerUninstallPlugin = (app: App) =>
  app.openapi(route, async (c) => {
    requireAdmin(requireUser(c));
    if (!(await uninstallPlugin(c.get("db"), c.get("inbox").id, c.req.valid("param").type))) throw notFound();
    return c.body(null, 204);
  });
