import { nowMicros } from "../contacts/times";
import type { Db } from "../db/client";
import {
  deleteGroup,
  type GroupRow,
  type GroupsFilter,
  groupByNameKey,
  groupByUuid,
  groupCount,
  groupIdByUuid,
  groupNameKey,
  groupsByUuidsOrNameKeys,
  groupsPage,
  insertGroup,
  insertGroupStatement,
  renameGroup,
} from "../db/queries/contact-groups";
import { type Read, readOne } from "../db/queries/reads";
import { fieldErrors, notFound } from "../errors";
import { uniqueField } from "./unique";

/**
 * The workspace's contact groups: RapidPro v2's groups.json, and the lookups and creations
 * the contact writes of every dialect use (v2's `groups`, Polser's labels). Group names
 * follow RapidPro's rules (mid-2021), checked whole before anything is written.
 */

export type { GroupRow };
export { groupCount, groupIdByUuid, groupNameKey };

export const MAX_GROUPS = 250;
const MAX_NAME_LENGTH = 64;
const TAKEN = "This field must be unique.";
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const groupLimitMessage = (count: number) =>
  `This org has ${count} groups and the limit is ${MAX_GROUPS}. You must delete existing ones before you can create new ones.`;

/** DRF's CharField validators (all reported), then RapidPro's `ContactGroup.is_valid_name` once they pass. */
function nameProblems(name: string, taken: boolean): string[] {
  if (name.trim() === "") return ["This field may not be blank."];
  const messages = [
    ...([...name].length > MAX_NAME_LENGTH ? [`Ensure this field has no more than ${MAX_NAME_LENGTH} characters.`] : []),
    ...(name.includes("\u0000") ? ["Null characters are not allowed."] : []),
    ...(taken ? [TAKEN] : []),
  ];
  if (messages.length) return messages;
  // The first character must be a word character (Python's `\w`): a letter, a digit or `_`.
  return /^[\p{L}\p{N}_]/u.test(name) ? [] : ["Name contains illegal characters."];
}

/**
 * A group name's own problem (the first DRF message), or null; the name is read trimmed,
 * as DRF's CharField reads it. Uniqueness is not checked here: callers that create groups
 * for names no group has yet (Polser's labels) match existing names first.
 */
export function validateGroupName(name: string): string | null {
  return nameProblems(name.trim(), false)[0] ?? null;
}

/**
 * Each given ref (a group uuid, or a name matched ignoring case) mapped to the workspace's
 * group, as RapidPro's ContactGroupField finds it: a uuid wins over a name. Refs that find
 * nothing are absent from the map; another workspace's uuids and names find nothing.
 */
export function findGroups(db: Db, workspaceId: string, refs: string[]): Read<Map<string, GroupRow>> {
  const unique = [...new Set(refs)];
  const uuids = [...new Set(unique.filter((r) => UUID.test(r)).map((r) => r.toLowerCase()))];
  const nameKeys = [...new Set(unique.map((r) => groupNameKey(r.trim())))];
  const rows = groupsByUuidsOrNameKeys(db, workspaceId, uuids, nameKeys);
  return {
    statements: rows.statements,
    read(results) {
      const groups = rows.read(results);
      const byUuid = new Map(groups.map((g) => [g.uuid, g]));
      const byName = new Map(groups.map((g) => [g.nameKey, g]));
      const found = new Map<string, GroupRow>();
      for (const ref of unique) {
        const group = byUuid.get(ref.toLowerCase()) ?? byName.get(groupNameKey(ref.trim()));
        if (group) found.set(ref, group);
      }
      return found;
    },
  };
}

/**
 * Statements creating groups inside another write's batch (Polser's labels), with the
 * uuids they get: `groupIdByUuid(uuid)` is a new group's id within that batch. Callers
 * check the names first (`validateGroupName`, `findGroups`) and the limit (`groupCount`,
 * `MAX_GROUPS`, `groupLimitMessage`); a name another request created meanwhile fails the
 * batch on the unique name index, as a URN does.
 */
export function createGroupStatements(db: Db, workspaceId: string, names: string[], at = nowMicros()) {
  const groups = names.map((name) => ({ uuid: crypto.randomUUID(), name: name.trim(), at }));
  return { groups, statements: groups.map((g) => insertGroupStatement(db, workspaceId, g)) };
}

export type GroupsQuery = { uuid?: string; name?: string; reverse: boolean; position: [number, number] | null };

/** One page of v2's list; a uuid that is not one finds nothing. */
export async function listGroups(db: Db, workspaceId: string, q: GroupsQuery, limit: number): Promise<GroupRow[]> {
  if (q.uuid !== undefined && !UUID.test(q.uuid)) return [];
  const filter: GroupsFilter = {
    uuid: q.uuid?.toLowerCase(),
    nameKey: q.name === undefined ? undefined : groupNameKey(q.name),
    reverse: q.reverse,
    position: q.position,
  };
  return groupsPage(db, workspaceId, filter, limit);
}

/** The workspace's group with this uuid; anything else (a foreign, unknown or malformed uuid) is 404. */
export async function loadGroup(db: Db, workspaceId: string, uuid: string): Promise<GroupRow> {
  const group = UUID.test(uuid) ? await groupByUuid(db, workspaceId, uuid.toLowerCase()) : undefined;
  if (!group) throw notFound();
  return group;
}

async function checkName(db: Db, workspaceId: string, name: string, self?: GroupRow): Promise<void> {
  const holder = (await groupByNameKey(db, workspaceId, groupNameKey(name)))[0];
  const problems = nameProblems(name, holder !== undefined && holder.id !== self?.id);
  if (problems.length) throw fieldErrors({ name: problems });
}

/** v2's create: `name` already read as DRF's CharField reads it (trimmed, not blank). */
export async function createGroup(db: Db, workspaceId: string, name: string): Promise<GroupRow> {
  await checkName(db, workspaceId, name);
  const created = await uniqueField(
    () => insertGroup(db, workspaceId, { uuid: crypto.randomUUID(), name, at: nowMicros() }, MAX_GROUPS),
    "contact_groups.name_key",
    "name",
    TAKEN,
  );
  if (!created) throw fieldErrors({ non_field_errors: [groupLimitMessage(await readOne(db, groupCount(db, workspaceId)))] });
  return created;
}

/** v2's rename by `?uuid=` (the group `loadGroup` found): unique as a create is, except against itself. */
export async function updateGroup(db: Db, workspaceId: string, group: GroupRow, name: string): Promise<GroupRow> {
  await checkName(db, workspaceId, name, group);
  const renamed = await uniqueField(() => renameGroup(db, workspaceId, group.id, name), "contact_groups.name_key", "name", TAKEN);
  // Deleted between the read and the write: as if it had never been there.
  if (!renamed) throw notFound();
  return renamed;
}

/**
 * v2's delete: the memberships go and every member's `modified_on` moves. Nothing in
 * Switchboard depends on a group yet (RapidPro's campaigns, flows and triggers would).
 */
export async function removeGroup(db: Db, workspaceId: string, uuid: string): Promise<void> {
  const group = await loadGroup(db, workspaceId, uuid);
  await deleteGroup(db, workspaceId, group.id, nowMicros());
}
