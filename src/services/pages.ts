import type { Db } from "../db/client";
import type { ChatScope } from "../db/queries/chat-scope";
import { listChats } from "../db/queries/chats";
import { type MessageRecord, messagesByIds } from "../db/queries/messages";
import { toChatWire, toMessageWire } from "./messages";
import { loadPeople } from "./people";

/**
 * Pages of chats and messages as the seed shows them, each with its people and tags
 * loaded per page. Plain values only: endpoints, webhook payloads and the rule engine
 * build the same elements.
 */
export async function chatPage(db: Db, workspaceId: string, scope: ChatScope, baseUrl: string, limit: number, offset: number) {
  const { rows, count } = await listChats(db, scope, limit, offset);
  const lastIds = rows.map((r) => r.last_message_id).filter((id): id is number => id !== null);
  const last = new Map((await messagesByIds(db, scope.inboxId, scope.userId, lastIds)).map((m) => [m.id, m]));
  const userIds = [...rows.map((r) => r.assigned_to_user), ...[...last.values()].map((m) => m.sender_user_id)];
  const people = await loadPeople(
    db,
    workspaceId,
    userIds,
    rows.some((r) => r.assigned_group !== null),
    { inboxId: scope.inboxId, waIds: rows.map((r) => r.wa_id), messages: [...last.values()] },
  );
  const results = rows.map((r) => toChatWire(r, r.last_message_id === null ? undefined : last.get(r.last_message_id), people, baseUrl));
  return { results, count };
}

export async function messageWires(db: Db, workspaceId: string, inboxId: string, rows: MessageRecord[], baseUrl: string) {
  const people = await loadPeople(
    db,
    workspaceId,
    rows.map((r) => r.sender_user_id),
    false,
    { inboxId, waIds: [], messages: rows },
  );
  return rows.map((r) => toMessageWire(r, people, baseUrl));
}
