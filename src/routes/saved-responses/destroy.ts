import { createRoute, z } from "@hono/zod-openapi";
import { deleteSavedResponse } from "../../db/queries/saved-responses";
import { forbidden } from "../../errors";
import { type App, errorResponses, IntId } from "../../http/openapi";
import { requireUser } from "../../middleware/auth";
import { loadSavedResponse } from "./load";

const route = createRoute({
  method: "delete",
  path: "/saved_responses/{id}/",
  tags: ["Saved responses"],
  summary: "Delete a saved response",
  description: "Its creator or an admin (others 403).",
  request: { params: z.object({ id: IntId }) },
  responses: { 204: { description: "Deleted." }, ...errorResponses },
});

export const registerDestroySavedResponse = (app: App) =>
  app.openapi(route, async (c) => {
    const user = requireUser(c);
    const row = await loadSavedResponse(c, c.req.valid("param").id);
    if (user.role !== "admin" && row.createdBy !== user.id) throw forbidden("Only its creator or an admin can delete a saved response.");
    await deleteSavedResponse(c.get("db"), row.workspaceId, row.id);
    return c.body(null, 204);
  });
