import { z } from "zod";
import type { Db } from "../db/client";
import { getChatState } from "../db/queries/chats";
import { getGroup } from "../db/queries/groups";
import { messagesByWamids } from "../db/queries/messages";
import { getUser } from "../db/queries/users";
import type { Delivery } from "../db/queries/webhooks";
import { ASSIGN_METHODS } from "../db/schema";
import { parseJson } from "../http/json";
import type { RuleTarget } from "../inbox/inbox-object";
import { inboxObject } from "../inbox/stub";
import { inboxById } from "../services/inbox-cache";

/**
 * A custom rule engine's answer, as the seed's schema: assignments naming a chat by one
 * of its messages (`message_id`) or by its `chat_id` (the seed's own example engine sends
 * that), and a user, or a group with its method.
 */
const Item = z
  .object({
    message_id: z.string().min(1).max(200).optional(),
    chat_id: z.string().min(1).max(100).optional(),
    user: z.number().int().positive().optional(),
    group: z.number().int().positive().optional(),
    group_assign_method: z.enum(ASSIGN_METHODS).optional(),
  })
  .refine((i) => (i.message_id === undefined) !== (i.chat_id === undefined), "exactly one of message_id and chat_id is required")
  .refine((i) => (i.user === undefined) !== (i.group === undefined), "exactly one of user and group is required")
  .refine((i) => (i.group === undefined) === (i.group_assign_method === undefined), "group_assign_method goes with group");
/** Items are checked one by one: a bad one is ignored (and logged), the others still apply. */
const Answer = z.object({ assignment: z.array(z.unknown()).max(100).optional() }).passthrough();

/**
 * Applies an engine's answer through the inbox object (as the system). Returns null when
 * everything was applied, or what was ignored and why (kept in the delivery log): an
 * invalid answer, or a user, group or chat outside this inbox's workspace.
 */
export async function applyEngineAnswer(env: Env, db: Db, d: Delivery, text: string): Promise<string | null> {
  if (!text.trim()) return null;
  const read = parseJson(text);
  if (!read.ok) return `Answer ignored: ${read.error}`;
  const parsed = Answer.safeParse(read.value);
  if (!parsed.success) return `Answer ignored: ${z.prettifyError(parsed.error)}`;
  const inbox = await inboxById(db, d.inboxId);
  if (!inbox) return null;
  const notes: string[] = [];
  for (const [i, raw] of (parsed.data.assignment ?? []).entries()) {
    const read = Item.safeParse(raw);
    if (!read.success) {
      notes.push(`assignment[${i}] ignored: ${z.prettifyError(read.error).replaceAll("\n", " ")}`);
      continue;
    }
    const item = read.data;
    const waId = item.chat_id ?? (await messagesByWamids(db, inbox.id, 0, [item.message_id as string]))[0]?.wa_id;
    const problem = !waId
      ? `message ${item.message_id} is not in this inbox`
      : !(await getChatState(db, inbox.id, waId))
        ? `chat ${waId} is not in this inbox`
        : item.group !== undefined
          ? (await getGroup(db, inbox.workspaceId, item.group))
            ? null
            : `group ${item.group} is not a group of this workspace`
          : (await getUser(db, inbox.workspaceId, item.user as number))?.isActive
            ? null
            : `user ${item.user} is not an active user of this workspace`;
    if (problem) {
      notes.push(`assignment[${i}] ignored: ${problem}`);
      continue;
    }
    const target: RuleTarget =
      item.group !== undefined && item.group_assign_method
        ? { group: item.group, method: item.group_assign_method }
        : { user: item.user as number };
    await inboxObject(env, inbox.id).ruleAssignment(inbox.id, waId as string, target);
  }
  return notes.length ? notes.join("; ") : null;
}
