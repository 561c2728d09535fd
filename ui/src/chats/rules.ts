import type { Chat, User } from "../api/types";

/**
 * What the server would refuse this user on a chat, said ahead so a control can be
 * disabled with the reason next to it (the server still decides, and its refusal shows
 * if the rules changed meanwhile). Assignment follows seed 004 as the server applies it:
 * admins change anything; others assign a user only while nobody is assigned, clear only
 * an assignment that is theirs, set a group only while none is set and only one they
 * belong to, and clear only a group they belong to. Writing follows the user's
 * `can_write_to_chats` level against the chat's assignment.
 */
export type Assignment = { user: number | null; group: number | null };

export const assignmentOf = (chat: Chat | null): Assignment => ({
  user: chat?.assigned_to_user?.id ?? null,
  group: chat?.assigned_group?.id ?? null,
});

const isAdmin = (user: User) => user.profile.role === "admin";
const inGroup = (user: User, group: number | null) => group !== null && user.groups.some((g) => g.id === group);

/** Why `user` may not set the chat's user to `next`, or null when the server would allow it. */
export function userRefusal(current: Assignment, next: number | null, user: User): string | null {
  if (isAdmin(user) || next === current.user) return null;
  if (next === null) return current.user === user.id ? null : "You can only remove a chat assignment that is yours.";
  return current.user === null ? null : "Only admins can reassign a chat that is assigned to a user.";
}

/** Why `user` may not set the chat's group to `next`, or null when the server would allow it. */
export function groupRefusal(current: Assignment, next: number | null, user: User): string | null {
  if (isAdmin(user) || next === current.group) return null;
  if (current.group !== null && next !== null) return "Only admins can change the group of a chat.";
  return inGroup(user, next ?? current.group) ? null : "You can only assign or clear a group you belong to.";
}

/** Why `user` may not write to this chat (null: a number without a chat yet), or null when they may. */
export function writeRefusal(chat: Chat | null, user: User): string | null {
  const level = user.permissions.can_write_to_chats;
  if (level === "none") return "You may read chats but not write to them (your permissions, set by an admin).";
  if (level === "all") return null;
  if (!chat) return "Only people who may write to every chat can start one with a new number.";
  const assignment = assignmentOf(chat);
  const mine = assignment.user === user.id;
  switch (level) {
    case "group":
      return mine || inGroup(user, assignment.group)
        ? null
        : "You can write only to chats assigned to you or to one of your groups: assign it to yourself first.";
    case "assigned":
      return mine ? null : "You can write only to chats assigned to you: assign it to yourself first.";
  }
}
