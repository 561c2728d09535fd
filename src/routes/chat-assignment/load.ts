import type { Context } from "hono";
import type { AppEnv } from "../../context";
import { getChatState, readableChat } from "../../db/queries/chats";
import { notFound } from "../../errors";
import { requestScope } from "../../http/scope";

/** A chat's assignment, if the caller may read the chat; anything else is a 404. */
export async function loadAssignment(c: Context<AppEnv>, waId: string) {
  const db = c.get("db");
  const inboxId = c.get("inbox").id;
  if (!(await readableChat(db, await requestScope(c), waId))) throw notFound();
  const chat = await getChatState(db, inboxId, waId);
  if (!chat) throw notFound();
  return { wa_id: waId, assigned_to_user: chat.assigned_to_user, assigned_group: chat.assigned_group };
}
