import { and, eq, inArray, sql } from "drizzle-orm";
import type { Db } from "../client";
import { chats, groups } from "../schema";
import { workspaceShards } from "./inboxes";

export type Group = typeof groups.$inferSelect;

export async function getGroup(db: Db, workspaceId: string, id: number): Promise<Group | undefined> {
  return (
    await db
      .select()
      .from(groups)
      .where(and(eq(groups.workspaceId, workspaceId), eq(groups.id, id)))
  )[0];
}

/** Inserts or renames a custom group; `groups.name` is unique per workspace. */
export async function saveGroup(db: Db, workspaceId: string, id: number | null, name: string): Promise<Group | undefined> {
  const saved =
    id === null
      ? await db.insert(groups).values({ workspaceId, name }).returning()
      : await db
          .update(groups)
          .set({ name })
          .where(and(eq(groups.workspaceId, workspaceId), eq(groups.id, id)))
          .returning();
  return saved[0];
}

/** Whether any chat of the workspace's inboxes is assigned to the group. */
export async function groupHasChats(db: Db, workspaceId: string, id: number): Promise<boolean> {
  const hits = await Promise.all(
    (await workspaceShards(db, workspaceId)).map(({ shard, inboxIds }) =>
      shard
        .select({ hit: sql`1` })
        .from(chats)
        .where(and(inArray(chats.inboxId, inboxIds), eq(chats.assignedGroup, id)))
        .limit(1)
        .get(),
    ),
  );
  return hits.some(Boolean);
}

export async function deleteGroup(db: Db, workspaceId: string, id: number): Promise<void> {
  await db.delete(groups).where(and(eq(groups.workspaceId, workspaceId), eq(groups.id, id)));
}

/** Ids of a group's active, available users, ascending (the round-robin order). */
export async function activeMemberIds(db: Db, groupId: number): Promise<number[]> {
  const rows = await db.all<{ id: number }>(
    sql`SELECT u.id FROM user_groups ug JOIN users u ON u.id = ug.user_id WHERE ug.group_id = ${groupId} AND u.is_active = 1 AND u.is_available = 1 ORDER BY u.id`,
  );
  return rows.map((r) => r.id);
}
