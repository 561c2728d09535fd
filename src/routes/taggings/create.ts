import { createRoute } from "@hono/zod-openapi";
import { readableChat } from "../../db/queries/chats";
import { readableMessage } from "../../db/queries/messages";
import type { TaggingKind } from "../../db/queries/tags";
import { getTag } from "../../db/queries/tags";
import { ApiError, fieldErrors } from "../../errors";
import { bodyDoc, readBody } from "../../http/body";
import { type App, errorResponses, json } from "../../http/openapi";
import { requestScope } from "../../http/scope";
import { inboxObject } from "../../inbox/stub";
import { requireUser } from "../../middleware/auth";
import { requireTags } from "../../services/permissions";
import { KINDS, taggingBody, taggingSchema, toTaggingWire } from "./schemas";

const describe = (kind: TaggingKind) =>
  createRoute({
    method: "post",
    path: `/${KINDS[kind].path}/`,
    tags: ["Tags"],
    summary: `Tag a ${kind}`,
    description:
      kind === "message"
        ? "Needs `can_use_tags` and read access to the message's chat. Tagging a message tags its chat too. A pair exists once; delete it to create it again."
        : "Needs `can_use_tags` and read access to the chat. A pair exists once; delete it to create it again.",
    request: { body: bodyDoc(taggingBody(kind)) },
    responses: { 201: json(taggingSchema(kind), "The tagging."), ...errorResponses },
  });

export const registerCreateTagging = (app: App, kind: TaggingKind) =>
  app.openapi(describe(kind), async (c) => {
    const user = requireUser(c);
    requireTags(user);
    const body = await readBody(c, taggingBody(kind));
    const db = c.get("db");
    const inbox = c.get("inbox");
    const field = KINDS[kind].field;
    const { target } = body;
    const wamid = kind === "message" ? target : null;
    const tag = await getTag(db, inbox.workspaceId, body.tag);
    if (!tag) throw fieldErrors({ tag: [`Invalid pk "${body.tag}" - object does not exist.`] });
    // A chat the caller may not read is answered as one that does not exist.
    const scope = await requestScope(c);
    const waId = (kind === "chat" ? await readableChat(db, scope, target) : await readableMessage(db, scope, target))?.wa_id;
    if (!waId) throw fieldErrors({ [field]: [`Object with ${kind === "chat" ? "wa_id" : "id"}=${target} does not exist.`] });
    const outcome = await inboxObject(c.env, inbox.id).tagging(inbox.id, {
      action: "add",
      kind,
      waId,
      wamid,
      tagId: tag.id,
      extra: body.extra ?? null,
      doneBy: user.id,
    });
    if (!outcome.ok) throw fieldErrors({ non_field_errors: [`The fields tag, ${field} must make a unique set.`] });
    if (!outcome.taggingId) throw new ApiError(503, { detail: "The tagging could not be confirmed yet; retry." }, { "Retry-After": "5" });
    return c.json(toTaggingWire(kind, { id: outcome.taggingId, tagId: tag.id, waId, wamid, extra: body.extra ?? null }), 201);
  });
