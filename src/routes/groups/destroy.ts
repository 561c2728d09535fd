import { createRoute, z } from "@hono/zod-openapi";
import { deleteGroup, groupHasChats } from "../../db/queries/groups";
import { badRequest } from "../../errors";
import { type App, errorResponses, IntId } from "../../http/openapi";
import { requireUser } from "../../middleware/auth";
import { requireAdmin } from "../../services/permissions";
import { loadGroup, requireCustom } from "./load";

const route = createRoute({
  method: "delete",
  path: "/groups/{id}/",
  tags: ["Groups"],
  summary: "Delete a group",
  description: "Admins; custom groups only, and only while no chat is assigned to the group (400 otherwise).",
  request: { params: z.object({ id: IntId }) },
  responses: { 204: { description: "Deleted." }, ...errorResponses },
});

export const registerDestroyGroup = (app: App) =>
  app.openapi(route, async (c) => {
    requireAdmin(requireUser(c));
    const group = await loadGroup(c, c.req.valid("param").id);
    requireCustom(group);
    if (await groupHasChats(c.get("db"), group.workspaceId, group.id)) {
      throw badRequest("This group has assigned chats: reassign them before deleting it.");
    }
    await deleteGroup(c.get("db"), group.workspaceId, group.id);
    return c.body(null, 204);
  });
