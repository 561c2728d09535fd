import { and, eq, isNull, lt, or, sql } from "drizzle-orm";
import type { Db } from "../client";
import { upstreamSyncs } from "../schema";

/**
 * When an inbox's copy of something kept upstream (templates, the business profile) was
 * last refreshed, and whether a refresh is under way (`refreshingSince`: the vendor
 * client's `currently_refreshing`).
 */
export type SyncKind = "templates" | "business_profile";
export type Sync = typeof upstreamSyncs.$inferSelect;

const key = (inboxId: string, kind: SyncKind) => and(eq(upstreamSyncs.inboxId, inboxId), eq(upstreamSyncs.kind, kind));
const target = [upstreamSyncs.inboxId, upstreamSyncs.kind];

export async function getSync(db: Db, inboxId: string, kind: SyncKind): Promise<Sync | undefined> {
  return db.select().from(upstreamSyncs).where(key(inboxId, kind)).get();
}

/** Whether a refresh mark is younger than `markSeconds` (an older one belongs to a Worker that died mid-refresh). */
export const isRefreshing = (sync: Sync | undefined, at: number, markSeconds: number) =>
  sync?.refreshingSince != null && sync.refreshingSince > at - markSeconds;

/** Marks a refresh as started at `at`, whether or not another is under way. */
export async function markRefreshing(db: Db, inboxId: string, kind: SyncKind, at: number): Promise<void> {
  await db
    .insert(upstreamSyncs)
    .values({ inboxId, kind, refreshingSince: at, attemptedAt: at })
    .onConflictDoUpdate({ target, set: { refreshingSince: at, attemptedAt: at } });
}

/**
 * Claims the refresh: true unless another one started after `staleBefore` (a Worker that
 * died mid-refresh leaves a mark that expires).
 */
export async function claimRefresh(db: Db, inboxId: string, kind: SyncKind, now: number, staleBefore: number): Promise<boolean> {
  const claimed = await db
    .insert(upstreamSyncs)
    .values({ inboxId, kind, refreshingSince: now, attemptedAt: now })
    .onConflictDoUpdate({
      target,
      set: { refreshingSince: now, attemptedAt: now },
      setWhere: or(isNull(upstreamSyncs.refreshingSince), lt(upstreamSyncs.refreshingSince, staleBefore)),
    })
    .returning({ inboxId: upstreamSyncs.inboxId });
  return claimed.length > 0;
}

/** Clears the mark of the refresh that started at `startedAt`; a later one (a concurrent refresh) keeps its own. */
const ended = (startedAt: number) => sql`nullif(${upstreamSyncs.refreshingSince}, ${startedAt})`;

/** The statement that records a successful refresh, for the batch that stores its result. */
export const finishRefresh = (db: Db, inboxId: string, kind: SyncKind, startedAt: number, extra: { namespace?: string | null } = {}) =>
  db
    .update(upstreamSyncs)
    .set({ syncedAt: startedAt, refreshingSince: ended(startedAt), error: null, ...extra })
    .where(key(inboxId, kind));

/** Ends a refresh that failed, keeping the cached copy and saying why (the row is for people; the logs keep the rest). */
export async function failRefresh(db: Db, inboxId: string, kind: SyncKind, error: string, startedAt: number): Promise<void> {
  await db
    .update(upstreamSyncs)
    .set({ refreshingSince: ended(startedAt), error: error.slice(0, 1000) })
    .where(key(inboxId, kind));
}

/** Marks a cached copy stale (but present), so the next read refreshes it in the background. */
export async function expireSync(db: Db, inboxId: string, kind: SyncKind): Promise<void> {
  await db.update(upstreamSyncs).set({ syncedAt: 0, attemptedAt: 0 }).where(key(inboxId, kind));
}
