import { createRoute, z } from "@hono/zod-openapi";
import type { TaggingKind } from "../../db/queries/tags";
import { notFound } from "../../errors";
import { type App, errorResponses, IntId } from "../../http/openapi";
import { inboxObject } from "../../inbox/stub";
import { requireUser } from "../../middleware/auth";
import { loadTagging } from "./load";
import { KINDS } from "./schemas";

// The vendor's web-inbox client deletes without the trailing slash (`DELETE /api/v1/chat_tagging/17`): both paths answer.
const describe = (kind: TaggingKind, slash: string) =>
  createRoute({
    method: "delete",
    path: `/${KINDS[kind].path}/{id}${slash}`,
    tags: ["Tags"],
    summary: `Remove a ${kind} tagging`,
    description: "Needs `can_use_tags` and read access to the chat; records a `removed` event.",
    request: { params: z.object({ id: IntId }) },
    responses: { 204: { description: "Removed." }, ...errorResponses },
  });

export const registerDestroyTagging = (app: App, kind: TaggingKind) => {
  for (const slash of ["/", ""]) {
    app.openapi(describe(kind, slash), async (c) => {
      const tagging = await loadTagging(c, kind, c.req.valid("param").id);
      const inboxId = c.get("inbox").id;
      const outcome = await inboxObject(c.env, inboxId).tagging(inboxId, {
        action: "remove",
        kind,
        taggingId: tagging.id,
        doneBy: requireUser(c).id,
      });
      if (!outcome.ok) throw notFound(); // removed meanwhile
      return c.body(null, 204);
    });
  }
};
