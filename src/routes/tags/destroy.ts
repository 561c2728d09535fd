import { createRoute, z } from "@hono/zod-openapi";
import { deleteTag, inboxesUsingTag } from "../../db/queries/tags";
import { type App, errorResponses, IntId } from "../../http/openapi";
import { inboxObject } from "../../inbox/stub";
import { requireUser } from "../../middleware/auth";
import { requireAdmin, requireTags } from "../../services/permissions";
import { loadTag } from "./load";

const route = createRoute({
  method: "delete",
  path: "/tags/{id}/",
  tags: ["Tags"],
  summary: "Delete a tag",
  description: "Admins (with `can_use_tags`). Every tagging of the tag is removed first, each with its `removed` event.",
  request: { params: z.object({ id: IntId }) },
  responses: { 204: { description: "Deleted." }, ...errorResponses },
});

export const registerDestroyTag = (app: App) =>
  app.openapi(route, async (c) => {
    const user = requireUser(c);
    requireAdmin(user);
    requireTags(user);
    const tag = await loadTag(c, c.req.valid("param").id);
    // Taggings change only through their inbox's object, so each removal is an event there.
    for (const inboxId of await inboxesUsingTag(c.get("db"), tag.workspaceId, tag.id)) {
      await inboxObject(c.env, inboxId).tagging(inboxId, { action: "remove_tag", tagId: tag.id, doneBy: user.id });
    }
    await deleteTag(c.get("db"), tag.workspaceId, tag.id);
    return c.body(null, 204);
  });
