import { createRoute } from "@hono/zod-openapi";
import { getSync, isRefreshing } from "../../db/queries/upstream-syncs";
import { type App, errorResponses, json } from "../../http/openapi";
import { requireUser } from "../../middleware/auth";
import { RefreshStatusSchema, SETTINGS_TAG } from "./schemas";
import { now } from "./store";

/** A mark older than this is a Worker that died mid-read (reads time out after seconds), not a read under way. */
const STALE_AFTER_S = 5 * 60;

const route = createRoute({
  method: "get",
  path: "/settings/refresh/status/",
  tags: [SETTINGS_TAG],
  summary: "Whether the business profile is being refreshed",
  description:
    "Any user. The vendor web-inbox client polls this while it shows the profile. Sandbox inboxes have nothing to refresh (always false).",
  responses: { 200: json(RefreshStatusSchema, "The refresh state."), ...errorResponses },
});

export const registerRefreshStatus = (app: App) =>
  app.openapi(route, async (c) => {
    requireUser(c);
    // Sandbox inboxes never read an upstream, so they have no mark.
    const sync = await getSync(c.get("db"), c.get("inbox").id, "business_profile");
    return c.json({ currently_refreshing: isRefreshing(sync, now(), STALE_AFTER_S) }, 200);
  });
