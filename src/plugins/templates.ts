import { z } from "zod";
import { approvedTemplates } from "../db/queries/templates";
import { getSync } from "../db/queries/upstream-syncs";
import { templateNamespace } from "../services/templates";
import { definePlugin } from "./plugin";

/**
 * The number's approved templates, as a form builder or a bot needs them to send one:
 * name, language, category and components (with their `{{n}}` parameters). Optionally
 * limited to some categories; `?name=` and `?language=` filter.
 */
export const templatesPlugin = definePlugin({
  type: "templates",
  description: "Public schemas of the number's approved message templates.",
  config: z.strictObject({
    categories: z
      .array(z.enum(["MARKETING", "UTILITY", "AUTHENTICATION"]))
      .min(1)
      .optional(),
  }),
  async publicData({ db, inbox, config, query }) {
    const rows = await approvedTemplates(db, inbox.id);
    const namespace = templateNamespace(inbox, await getSync(db, inbox.id, "templates"));
    const templates = rows
      .filter((t) => !config.categories || (config.categories as string[]).includes(t.category))
      .filter((t) => !query.name || t.name === query.name)
      .filter((t) => !query.language || t.language === query.language)
      .map((t) => ({
        name: t.name,
        language: t.language,
        category: t.category,
        components: t.components,
        parameters: parameterCount(t.components),
      }));
    return { namespace, templates };
  },
});

/** How many `{{n}}` parameters each text component takes, by component type. */
function parameterCount(components: unknown[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const c of components) {
    const parsed = z.looseObject({ type: z.string(), text: z.string().optional() }).safeParse(c);
    if (!parsed.success || !parsed.data.text) continue;
    const numbers = new Set(Array.from(parsed.data.text.matchAll(/\{\{\s*(\d+)\s*\}\}/g), (m) => m[1]));
    out[parsed.data.type.toLowerCase()] = numbers.size;
  }
  return out;
}
