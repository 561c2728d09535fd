import type { Context } from "hono";
import type { AppEnv } from "../../context";
import { getChatState, readableChat } from "../../db/queries/reading";
import { notFound } from "../../errors";
import { requireUser } from "../../middleware/auth";
import { chatScope } from "../../services/chat-scope";

/** A chat's assignment, if the caller may read the chat; anything else is a 404. */
export async function loadAssignment(c: Context<AppEnv>, waId: string) {
  const user = requireUser(c);
  const db = c.get("db");
  const inboxId = c.get("inbox").id;
  if (!(await readableChat(db, await chatScope(c, user, {}), waId))) throw notFound();
  const chat = await getChatState(db, inboxId, waId);
  if (!chat) throw notFound();
  return { wa_id: waId, assigned_to_user: chat.assigned_to_user, assigned_group: chat.assigned_group };
}
