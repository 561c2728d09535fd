import type { Db } from "../db/client";
import type { ChatScope } from "../db/queries/chat-scope";
import { listChats } from "../db/queries/chats";
import type { MessageRecord } from "../db/queries/messages";
import { toChatWire, toMessageWire } from "./messages";
import { loadPeople } from "./people";

/**
 * Pages of chats and messages as the seed shows them, each with its people and tags
 * loaded per page. Plain values only: endpoints, webhook payloads and the rule engine
 * build the same elements.
 */
export async function chatPage(db: Db, workspaceId: string, scope: ChatScope, baseUrl: string, limit: number, offset: number) {
  const { rows, count } = await listChats(db, scope, limit, offset, true);
  const last = rows.flatMap((r) => (r.last ? [r.last] : []));
  const people = await loadPeople(
    db,
    workspaceId,
    [...rows.map((r) => r.assigned_to_user), ...last.map((m) => m.sender_user_id)],
    rows.some((r) => r.assigned_group !== null),
    { chats: rows, messages: last },
  );
  const results = rows.map((r) => toChatWire(r, r.last ?? undefined, people, baseUrl));
  return { results, count };
}

export async function messageWires(db: Db, workspaceId: string, rows: MessageRecord[], baseUrl: string) {
  const people = await loadPeople(
    db,
    workspaceId,
    rows.map((r) => r.sender_user_id),
    false,
    { messages: rows },
  );
  return rows.map((r) => toMessageWire(r, people, baseUrl));
}
