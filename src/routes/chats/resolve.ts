import { createRoute, z } from "@hono/zod-openapi";
import { getChatState } from "../../db/queries/chats";
import { forbidden, notFound } from "../../errors";
import { bodyDoc, readBody } from "../../http/body";
import { type App, errorResponses, json } from "../../http/openapi";
import { inboxObject } from "../../inbox/stub";
import { requireUser } from "../../middleware/auth";
import { userGroupIds, WaId } from "../../services/chat-scope";
import { canAccessChat, chatAccess } from "../../services/permissions";

const ResolveBody = z.object({ resolved: z.boolean() }).openapi("ResolveChat");
const ResolutionSchema = z.object({ wa_id: z.string(), resolved: z.boolean() }).openapi("ChatResolution");

// The vendor's web-inbox client calls `PATCH /api/v1/chats/{wa_id}/resolve` without the trailing slash: both answer.
const describe = (path: string) =>
  createRoute({
    method: "patch",
    path,
    tags: ["Chats"],
    summary: "Resolve or reopen a chat",
    description:
      "Write access to the chat (a chat the caller may not read is a 404). A change is one `chat_resolved` event (in webhook and WebSocket payloads as `chat_resolved: {wa_id, resolved, done_by, timestamp}`); no change, no event. A new customer message reopens the chat; that change rides on the message's own event.",
    request: { params: z.object({ wa_id: WaId }), body: bodyDoc(ResolveBody) },
    responses: { 200: json(ResolutionSchema, "The chat's state now."), ...errorResponses },
  });

export const registerResolveChat = (app: App) => {
  for (const path of ["/chats/{wa_id}/resolve", "/chats/{wa_id}/resolve/"]) {
    app.openapi(describe(path), async (c) => {
      const user = requireUser(c);
      const { wa_id: waId } = c.req.valid("param");
      const db = c.get("db");
      const inboxId = c.get("inbox").id;
      const chat = await getChatState(db, inboxId, waId);
      const groupIds = await userGroupIds(db, user.id);
      const assignment = { assignedToUser: chat?.assigned_to_user ?? null, assignedGroup: chat?.assigned_group ?? null };
      if (!chat || !canAccessChat(chatAccess(user, groupIds, "read"), assignment)) throw notFound();
      if (!canAccessChat(chatAccess(user, groupIds, "write"), assignment)) throw forbidden("You may not write to this chat.");
      const { resolved } = await readBody(c, ResolveBody);
      const outcome = await inboxObject(c.env, inboxId).resolution(inboxId, waId, resolved, user.id);
      if (!outcome.ok) throw notFound();
      return c.json({ wa_id: waId, resolved }, 200);
    });
  }
};
