import type { Db } from "../db/client";
import { getUsersByIds, groupsOfUsers, workspaceGroups } from "../db/queries/users";
import type { People } from "./messages";

/** Loads the users and groups that a page of chats/messages refers to, in two queries. */
export async function loadPeople(db: Db, workspaceId: string, userIds: (number | null)[], needGroups: boolean): Promise<People> {
  const ids = [...new Set(userIds.filter((id): id is number => id !== null))];
  const users = await getUsersByIds(db, workspaceId, ids);
  const groups = await groupsOfUsers(db, ids);
  const groupNames = new Map((needGroups ? await workspaceGroups(db, workspaceId) : []).map((g) => [g.id, { id: g.id, name: g.name }]));
  return { users: new Map(users.map((u) => [u.id, u])), groups, groupNames };
}
