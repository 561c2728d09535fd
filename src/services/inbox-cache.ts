import { type Db, rememberShard } from "../db/client";
import { findInboxForRequest, type Inbox } from "../db/queries/inboxes";
import { defaultWorkspaceId } from "../db/queries/workspaces";

/**
 * Inbox lookups on the hot paths (every webhook and API request) are cached per isolate
 * for a few seconds: a change through the platform API reaches other isolates within
 * TTL_MS, and this isolate at once (`forgetInbox`).
 */
const TTL_MS = 10_000;
const cache = new Map<string, { inbox: Inbox | undefined; until: number }>();

async function cached(key: string, load: () => Promise<Inbox | undefined>): Promise<Inbox | undefined> {
  const hit = cache.get(key);
  if (hit && hit.until > Date.now()) return hit.inbox;
  const inbox = await load();
  if (inbox) rememberShard(inbox);
  if (cache.size > 10_000) cache.clear();
  cache.set(key, { inbox, until: Date.now() + TTL_MS });
  return inbox;
}

export const inboxById = (db: Db, id: string) => cached(`id:${id}`, () => findInboxForRequest(db, { id }));

export const inboxByHostname = (db: Db, hostname: string) => cached(`host:${hostname}`, () => findInboxForRequest(db, { hostname }));

/** The first inbox of the first workspace: what bare `/api/v1/...` addresses. */
export const defaultInbox = (db: Db) =>
  cached("default", async () => {
    const workspaceId = await defaultWorkspaceId(db);
    return workspaceId ? findInboxForRequest(db, { workspaceId }) : undefined;
  });

/**
 * The inbox a host addresses without an inbox id in the path: the one mapped to it, or
 * the default inbox on the deployment's own hosts (`API_HOSTS`).
 */
export async function inboxOfHost(db: Db, apiHosts: Set<string>, host: string): Promise<Inbox | undefined> {
  return (await inboxByHostname(db, host)) ?? (apiHosts.has(host.toLowerCase()) ? await defaultInbox(db) : undefined);
}

export function forgetInboxes(): void {
  cache.clear();
}
