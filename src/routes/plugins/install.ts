import { createRoute } from "@hono/zod-openapi";
import { installPlugin } from "../../db/queries/plugins";
import { fieldErrors, validationError } from "../../errors";
import { bodyDoc, readBody } from "../../http/body";
import { type App, errorResponses, json } from "../../http/openapi";
import { requireUser } from "../../middleware/auth";
import { PLUGINS } from "../../plugins";
import { requireAdmin } from "../../services/permissions";
import { InstallPluginBody, PluginSchema, toPluginWire } from "./schemas";

const route = createRoute({
  method: "post",
  path: "/plugins/",
  tags: ["Plugins"],
  summary: "Install a plugin",
  description: "Admins. `config` is checked against the plugin type's own schema; a type already installed is a 400.",
  request: { body: bodyDoc(InstallPluginBody) },
  responses: { 201: json(PluginSchema, "The installed plugin."), ...errorResponses },
});

export const registerInstallPlugin = (app: App) =>
  app.openapi(route, async (c) => {
    requireAdmin(requireUser(c));
    const { type, config } = await readBody(c, InstallPluginBody);
    const plugin = PLUGINS[type];
    if (!plugin) throw fieldErrors({ type: [`"${type}" is not a valid choice.`] });
    const parsed = plugin.config.safeParse(config, { reportInput: true });
    if (!parsed.success) throw fieldErrors({ config: validationError(parsed.error).body });
    const row = await installPlugin(c.get("db"), c.get("inbox").id, type, parsed.data as Record<string, unknown>);
    if (!row) throw fieldErrors({ type: [`A "${type}" plugin is installed already: delete it first.`] });
    return c.json(toPluginWire(row, plugin.description), 201);
  });
