import { z } from "@hono/zod-openapi";
import type { InstalledPlugin } from "../../db/queries/plugins";
import { PLUGIN_TYPES } from "../../plugins";

export const PluginType = z
  .string()
  .min(1)
  .max(64)
  .openapi({ param: { name: "type", in: "path" }, example: "templates" });

export const InstallPluginBody = z
  .object({
    type: z
      .enum(PLUGIN_TYPES, { error: (issue) => `"${String(issue.input)}" is not a valid choice.` })
      .openapi({ description: `One of: ${PLUGIN_TYPES.join(", ")}.` }),
    config: z.record(z.string(), z.unknown()).default({}).openapi({ description: "What the plugin type takes (see the README)." }),
  })
  .openapi("InstallPlugin");

export const PluginSchema = z
  .object({
    type: z.string(),
    description: z.string(),
    config: z.record(z.string(), z.unknown()),
    installed_at: z.number().int(),
  })
  .openapi("Plugin");

export const toPluginWire = (p: InstalledPlugin, description: string): z.infer<typeof PluginSchema> => ({
  type: p.type,
  description,
  config: p.config,
  installed_at: p.installedAt,
});
