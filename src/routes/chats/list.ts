import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { AppEnv } from "../../context";
import { listChats } from "../../db/queries/chats";
import { messagesByIds } from "../../db/queries/messages";
import { notFound } from "../../errors";
import { type App, errorResponses, json } from "../../http/openapi";
import { requestScope } from "../../http/scope";
import { requireUser } from "../../middleware/auth";
import { ChatFilterQuery, WaId } from "../../services/chat-scope";
import { ChatSchema, toChatWire } from "../../services/messages";
import { PageQuery, page, paginated, paginatedSchema } from "../../services/pagination";
import { loadPeople } from "../../services/people";

const list = createRoute({
  method: "get",
  path: "/chats/",
  tags: ["Chats"],
  summary: "List chats",
  description: "Chats you may read, newest `last_message_timestamp` first, with your own `new_messages` count. `limit` defaults to 100.",
  request: { query: PageQuery.extend(ChatFilterQuery.shape) },
  responses: { 200: json(paginatedSchema(ChatSchema), "A page of chats."), ...errorResponses },
});

const retrieve = createRoute({
  method: "get",
  path: "/chats/{wa_id}/",
  tags: ["Chats"],
  summary: "Retrieve a chat",
  request: { params: z.object({ wa_id: WaId }) },
  responses: { 200: json(ChatSchema, "The chat."), ...errorResponses },
});

async function chatPage(
  c: Context<AppEnv>,
  query: z.infer<typeof ChatFilterQuery>,
  waId: string | undefined,
  limit: number,
  offset: number,
) {
  const user = requireUser(c);
  const db = c.get("db");
  const scope = { ...(await requestScope(c, query)), waId };
  const { rows, count } = await listChats(db, scope, limit, offset);
  const lastIds = rows.map((r) => r.last_message_id).filter((id): id is number => id !== null);
  const last = new Map((await messagesByIds(db, scope.inboxId, user.id, lastIds)).map((m) => [m.id, m]));
  const userIds = [...rows.map((r) => r.assigned_to_user), ...[...last.values()].map((m) => m.sender_user_id)];
  const people = await loadPeople(
    db,
    user.workspaceId,
    userIds,
    rows.some((r) => r.assigned_group !== null),
    { inboxId: scope.inboxId, waIds: rows.map((r) => r.wa_id), wamids: [...last.values()].map((m) => m.wamid) },
  );
  const results = rows.map((r) =>
    toChatWire(r, r.last_message_id === null ? undefined : last.get(r.last_message_id), people, c.get("baseUrl")),
  );
  return { results, count };
}

export const registerChats = (app: App) => {
  app.openapi(list, async (c) => {
    const query = c.req.valid("query");
    const p = page(query, 100);
    const { results, count } = await chatPage(c, query, undefined, p.limit, p.offset);
    return c.json(paginated(c.req.url, p, count, results), 200);
  });
  app.openapi(retrieve, async (c) => {
    const { results } = await chatPage(c, {}, c.req.valid("param").wa_id, 1, 0);
    if (!results[0]) throw notFound();
    return c.json(results[0], 200);
  });
};
