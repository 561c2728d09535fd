import type { z } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { AppEnv } from "../../context";
import { listChats } from "../../db/queries/chats";
import { messagesByIds } from "../../db/queries/messages";
import { requestScope } from "../../http/scope";
import { requireUser } from "../../middleware/auth";
import type { ChatFilterQuery } from "../../services/chat-scope";
import { toChatWire } from "../../services/messages";
import { loadPeople } from "../../services/people";

/** One page of chats as the seed shows them: each with its last message, people and tags, loaded per page. */
export async function chatPage(
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
