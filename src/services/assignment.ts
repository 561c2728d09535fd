/**
 * The seed's assignment rules, as one pure decision. Admins change anything. Others may
 * assign a user only while nobody is assigned, clear only an assignment that is theirs,
 * set a group only when none is set and only one they belong to, and clear only a group
 * they belong to. (Read access to the chat is checked before: a chat one may not read
 * does not exist for them.)
 */
export type Assignment = { user: number | null; group: number | null };
/** `undefined`: leave as it is. */
export type AssignmentRequest = { user?: number | null; group?: number | null };
/** Who changes an assignment; `id` null is the system (the rule engine). */
export type Actor = { id: number | null; isAdmin: boolean; groupIds: number[] };
export type AssignmentDecision = { ok: true; next: Assignment; changed: boolean } | { ok: false; reason: string };

export function decideAssignment(current: Assignment, request: AssignmentRequest, actor: Actor): AssignmentDecision {
  const next = {
    user: request.user === undefined ? current.user : request.user,
    group: request.group === undefined ? current.group : request.group,
  };
  const changed = next.user !== current.user || next.group !== current.group;
  const refuse = (reason: string) => ({ ok: false as const, reason });
  if (actor.isAdmin || !changed) return { ok: true, next, changed };
  if (next.user !== current.user) {
    if (next.user === null && current.user !== actor.id) return refuse("You can only remove a chat assignment that is yours.");
    if (next.user !== null && current.user !== null) return refuse("Only admins can reassign a chat that is assigned to a user.");
  }
  if (next.group !== current.group) {
    if (current.group !== null && next.group !== null) return refuse("Only admins can change the group of a chat.");
    const group = next.group ?? current.group;
    if (group !== null && !actor.groupIds.includes(group)) return refuse("You can only assign or clear a group you belong to.");
  }
  return { ok: true, next, changed };
}
