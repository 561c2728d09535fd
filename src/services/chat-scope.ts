import { z } from "@hono/zod-openapi";
import type { Db } from "../db/client";
import type { ChatScope } from "../db/queries/chat-scope";
import { groupsOfUsers, type User } from "../db/queries/users";
import { fieldErrors } from "../errors";
import { PageQuery } from "./pagination";
import { chatAccess } from "./permissions";
import { toWaId } from "./phone-numbers";
import { matchExpression, phoneFragment } from "./search";

/** A customer's WhatsApp id as clients send it; phone numbers lose their formatting (see `toWaId`). */
export const WaId = z.string().trim().min(1).max(100).transform(toWaId);

/** DRF's BooleanField spellings for query parameters. */
export const QueryBool = z
  .enum(["true", "false", "1", "0", "True", "False", "yes", "no"])
  .transform((v) => ["true", "1", "True", "yes"].includes(v));

export const ChatFilterQuery = z.object({
  search: z
    .string()
    .max(200)
    .optional()
    .openapi({ description: "Words of message text, captions, file names; contact names; phone-number fragments." }),
  assigned_to_me: QueryBool.optional().openapi({ description: "Only chats assigned to the current user." }),
  assigned_group: z.coerce
    .number()
    .int()
    .positive()
    .optional()
    .openapi({ description: "Only chats assigned to this group (one of yours)." }),
  chat_tag_id: z.coerce.number().int().positive().optional().openapi({ description: "Only chats tagged with this tag." }),
});

/** The query of every event history (`GET /*_events/`): a chat, and a time window in POSIX seconds. */
export const HistoryQuery = PageQuery.extend({
  wa_id: WaId.optional().openapi({ description: "WhatsApp id of the related chat." }),
  since_time: z.coerce.number().int().optional().openapi({ description: "POSIX timestamp: only events at this time or newer." }),
  before_time: z.coerce.number().int().optional().openapi({ description: "POSIX timestamp: only events older than this." }),
});

/** Ids of the groups a user belongs to (group-level chat access and the `assigned_group` filter). */
export async function userGroupIds(db: Db, userId: number): Promise<number[]> {
  return (await groupsOfUsers(db, [userId])).get(userId)?.map((g) => g.id) ?? [];
}

/**
 * The one place a user, their permissions and filters become a query scope: read
 * permission is always applied, so no list or lookup can bypass it. Plain values only,
 * so the inbox object, queue consumers and the rule engine build the same scopes.
 */
export async function chatScope(
  db: Db,
  at: { inboxId: string; user: User; groupIds?: number[] },
  filters: z.infer<typeof ChatFilterQuery> = {},
): Promise<ChatScope> {
  const { inboxId, user } = at;
  const groupIds = at.groupIds ?? (await userGroupIds(db, user.id));
  if (filters.assigned_group !== undefined && !groupIds.includes(filters.assigned_group)) {
    throw fieldErrors({ assigned_group: ["Only groups you are a member of can be used."] });
  }
  const query = filters.search?.trim();
  const digits = query ? phoneFragment(query) : null;
  return {
    inboxId,
    userId: user.id,
    access: chatAccess(user, groupIds, "read"),
    assignedToMe: filters.assigned_to_me,
    assignedGroup: filters.assigned_group,
    chatTagId: filters.chat_tag_id,
    match: query ? matchExpression(inboxId, query) : undefined,
    nameContains: query ? query.toLowerCase() : undefined,
    numberContains: digits ?? undefined,
  };
}
