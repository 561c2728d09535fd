import { z } from "zod";
import type { Db } from "../db/client";
import { readableChat } from "../db/queries/chats";
import { getGroup } from "../db/queries/groups";
import type { Inbox } from "../db/queries/inboxes";
import { readableMessage } from "../db/queries/messages";
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
    const checked = await check(db, inbox, read.data);
    if ("problem" in checked) notes.push(`assignment[${i}] ignored: ${checked.problem}`);
    else await inboxObject(env, inbox.id).ruleAssignment(inbox.id, checked.waId, checked.target);
  }
  return notes.length ? notes.join("; ") : null;
}

/** The chat an answer item names and what it assigns, or why the item is ignored. */
async function check(
  db: Db,
  inbox: Inbox,
  item: z.infer<typeof Item>,
): Promise<{ waId: string; target: RuleTarget } | { problem: string }> {
  // The engine sees every chat of the inbox.
  const scope = { inboxId: inbox.id, userId: 0, access: { kind: "all" as const } };
  const chat =
    item.message_id !== undefined
      ? await readableMessage(db, scope, item.message_id)
      : await readableChat(db, scope, item.chat_id as string);
  if (!chat)
    return {
      problem:
        item.message_id !== undefined ? `message ${item.message_id} is not in this inbox` : `chat ${item.chat_id} is not in this inbox`,
    };
  if (item.group !== undefined && item.group_assign_method) {
    if (!(await getGroup(db, inbox.workspaceId, item.group))) return { problem: `group ${item.group} is not a group of this workspace` };
    return { waId: chat.wa_id, target: { group: item.group, method: item.group_assign_method } };
  }
  const user = await getUser(db, inbox.workspaceId, item.user as number);
  if (!user?.isActive) return { problem: `user ${item.user} is not an active user of this workspace` };
  return { waId: chat.wa_id, target: { user: user.id } };
}
