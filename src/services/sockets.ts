import type { Db } from "../db/client";
import { inboxIdsOf } from "../db/queries/inboxes";
import { inboxObject } from "../inbox/stub";

/**
 * Tells every inbox object of the workspace that a user changed (permissions, groups,
 * activity) or lost their token: their open WebSockets take the new scope for the next
 * event, or are closed.
 */
export async function refreshUserSockets(env: Env, db: Db, workspaceId: string, userId: number, tokenRevoked = false): Promise<void> {
  const ids = await inboxIdsOf(db, workspaceId);
  await Promise.all(ids.map((id) => inboxObject(env, id).refreshSockets(id, userId, tokenRevoked)));
}
