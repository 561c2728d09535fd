import type { User } from "../db/queries/users";
import type { ChatAccess, Role } from "../db/schema";
import { forbidden } from "../errors";

/**
 * The one permission mechanism. Chat access levels, for reading and for writing:
 *   all       every chat of the inbox
 *   group     chats assigned to the user or to one of the user's groups
 *   assigned  chats assigned to the user
 *   none      no chat
 * Endpoints never compare levels themselves: they ask `chatAccess()` for the filter
 * to apply to a query, or `canAccessChat()` for one chat.
 */
export const ROLE_DEFAULTS: Record<Role, { canUseTags: boolean; canReadChats: ChatAccess; canWriteToChats: ChatAccess }> = {
  admin: { canUseTags: true, canReadChats: "all", canWriteToChats: "all" },
  // Agents see what is routed to them or their groups, and reply where they are assigned.
  user: { canUseTags: true, canReadChats: "group", canWriteToChats: "assigned" },
  // Integrations archive or route everything, and reply only where the rule engine assigned them.
  app: { canUseTags: true, canReadChats: "all", canWriteToChats: "assigned" },
};

export type ChatAssignment = { assignedToUser: number | null; assignedGroup: number | null };

/** A filter over chats a user may read or write: everything, nothing, or assigned to these. */
export type ChatFilter = { kind: "all" } | { kind: "none" } | { kind: "assigned"; userId: number; groupIds: number[] };

export function chatAccess(user: User, groupIds: number[], mode: "read" | "write"): ChatFilter {
  const level = mode === "read" ? user.canReadChats : user.canWriteToChats;
  switch (level) {
    case "all":
      return { kind: "all" };
    case "none":
      return { kind: "none" };
    case "group":
      return { kind: "assigned", userId: user.id, groupIds };
    case "assigned":
      return { kind: "assigned", userId: user.id, groupIds: [] };
  }
}

export function canAccessChat(filter: ChatFilter, chat: ChatAssignment): boolean {
  if (filter.kind !== "assigned") return filter.kind === "all";
  return chat.assignedToUser === filter.userId || (chat.assignedGroup !== null && filter.groupIds.includes(chat.assignedGroup));
}

export function requireAdmin(user: User): void {
  if (user.role !== "admin") throw forbidden();
}

export function requireTags(user: User): void {
  if (!user.canUseTags) throw forbidden();
}
