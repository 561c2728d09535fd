import type { Db } from "../db/client";
import { tagsOf } from "../db/queries/tags";
import { getUsersByIds, groupsOfUsers, workspaceGroups } from "../db/queries/users";
import type { People } from "./messages";

/**
 * Loads what a page of chats/messages refers to: its users and groups, and the tags of the
 * taggings its chats and messages were read with.
 */
export async function loadPeople(
  db: Db,
  workspaceId: string,
  userIds: (number | null)[],
  needGroups: boolean,
  tagged: Parameters<typeof tagsOf>[1] = {},
): Promise<People> {
  const ids = [...new Set(userIds.filter((id): id is number => id !== null))];
  const [users, groups, names, tags] = await Promise.all([
    getUsersByIds(db, workspaceId, ids),
    groupsOfUsers(db, ids),
    needGroups ? workspaceGroups(db, workspaceId) : [],
    tagsOf(db, tagged),
  ]);
  const groupNames = new Map(names.map((g) => [g.id, { id: g.id, name: g.name }]));
  return { users: new Map(users.map((u) => [u.id, u])), groups, groupNames, tags };
}
