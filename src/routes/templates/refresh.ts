import { createRoute } from "@hono/zod-openapi";
import { getSync } from "../../db/queries/upstream-syncs";
import { type App, errorResponses, json } from "../../http/openapi";
import { requireUser } from "../../middleware/auth";
import { refreshTemplates, templateSource, templatesRefreshing } from "../../services/templates";
import { RefreshStatusSchema } from "./schemas";

const issue = createRoute({
  method: "post",
  path: "/templates/refresh/issue/",
  tags: ["Templates"],
  summary: "Refresh the templates from the provider",
  description:
    "Any user. Starts a refresh of the inbox's copy in the background (202); poll `GET /templates/refresh/status/`. 200 with `false` where there is nothing to refresh from (sandbox, on-premises).",
  responses: {
    200: json(RefreshStatusSchema, "Nothing to refresh from."),
    202: json(RefreshStatusSchema, "A refresh is running."),
    ...errorResponses,
  },
});

const status = createRoute({
  method: "get",
  path: "/templates/refresh/status/",
  tags: ["Templates"],
  summary: "Whether the templates are being refreshed",
  responses: { 200: json(RefreshStatusSchema, "The refresh state."), ...errorResponses },
});

export const registerRefreshTemplates = (app: App) => {
  app.openapi(issue, async (c) => {
    requireUser(c);
    const inbox = c.get("inbox");
    const source = await templateSource(c.env, inbox);
    if (source.kind !== "upstream") return c.json({ currently_refreshing: false }, 200);
    c.executionCtx.waitUntil(refreshTemplates(c.get("db"), inbox, source));
    return c.json({ currently_refreshing: true }, 202);
  });
  app.openapi(status, async (c) => {
    requireUser(c);
    return c.json({ currently_refreshing: templatesRefreshing(await getSync(c.get("db"), c.get("inbox").id, "templates")) }, 200);
  });
};
