import { and, eq, sql } from "drizzle-orm";
import { z } from "zod";
import { type BusinessProfile, EMPTY_PROFILE, verticalName } from "../../providers/business-profile-model";
import type { Db } from "../client";
import { businessProfiles, upstreamSyncs } from "../schema";

/**
 * The business profile row of an inbox (the store of a sandbox inbox, the last upstream
 * answer of the others) and its `business_profile` sync, which says whether a read from
 * the upstream is under way.
 */

export type StoredBusinessProfile = {
  profile: BusinessProfile;
  about: string | null;
  photoKey: string | null;
  photoType: string | null;
  updatedAt: number;
};
type Changes = { profile?: BusinessProfile; about?: string; photoKey?: string | null; photoType?: string | null };

const KIND = "business_profile";
/** Longer upstream errors are cut: the row is for people, the logs keep the rest. */
const MAX_ERROR_CHARS = 1000;

/** The JSON column as we wrote it; a field that does not read as its type falls back to empty. */
const ProfileColumn = z.object({
  address: z.string().catch(""),
  description: z.string().catch(""),
  email: z.string().catch(""),
  vertical: z.unknown().transform(verticalName),
  websites: z.array(z.string()).catch([]),
});

export async function getStoredBusinessProfile(db: Db, inboxId: string): Promise<StoredBusinessProfile | undefined> {
  const row = await db.select().from(businessProfiles).where(eq(businessProfiles.inboxId, inboxId)).get();
  if (!row) return undefined;
  const profile = ProfileColumn.safeParse(row.profile);
  return {
    profile: profile.success ? profile.data : EMPTY_PROFILE,
    about: row.about,
    photoKey: row.photoKey,
    photoType: row.photoType,
    updatedAt: row.updatedAt,
  };
}

/** Upserts the given columns (undefined ones are kept); a new row starts from the empty profile. */
const upsert = (db: Db, inboxId: string, changes: Changes, at: number) =>
  db
    .insert(businessProfiles)
    .values({ inboxId, profile: EMPTY_PROFILE, ...changes, updatedAt: at })
    .onConflictDoUpdate({ target: businessProfiles.inboxId, set: { ...changes, updatedAt: at } });

export async function saveBusinessProfile(db: Db, inboxId: string, changes: Changes, at: number): Promise<void> {
  await upsert(db, inboxId, changes, at);
}

const syncKey = (inboxId: string) => and(eq(upstreamSyncs.inboxId, inboxId), eq(upstreamSyncs.kind, KIND));

/** Marks a read from the upstream as under way (`currently_refreshing`). */
export async function startProfileRefresh(db: Db, inboxId: string, at: number): Promise<void> {
  await db
    .insert(upstreamSyncs)
    .values({ inboxId, kind: KIND, refreshingSince: at })
    .onConflictDoUpdate({ target: [upstreamSyncs.inboxId, upstreamSyncs.kind], set: { refreshingSince: at } });
}

/** Ends the refresh that started `at`; a later one (a concurrent read) keeps its mark. */
const ended = (at: number) => sql`nullif(${upstreamSyncs.refreshingSince}, ${at})`;

/** Stores what the upstream answered and ends the refresh, in one batch (one transaction in D1). */
export async function finishProfileRefresh(db: Db, inboxId: string, changes: Changes, at: number): Promise<void> {
  await db.batch([
    upsert(db, inboxId, changes, at),
    db
      .update(upstreamSyncs)
      .set({ syncedAt: at, refreshingSince: ended(at), error: null })
      .where(syncKey(inboxId)),
  ]);
}

/** Ends the refresh that started `at` and failed, keeping the stored copy and saying why. */
export async function failProfileRefresh(db: Db, inboxId: string, error: string, at: number): Promise<void> {
  await db
    .update(upstreamSyncs)
    .set({ refreshingSince: ended(at), error: error.slice(0, MAX_ERROR_CHARS) })
    .where(syncKey(inboxId));
}

/** When the refresh under way started (POSIX seconds); null when none is. */
export async function profileRefreshingSince(db: Db, inboxId: string): Promise<number | null> {
  const row = await db.select({ since: upstreamSyncs.refreshingSince }).from(upstreamSyncs).where(syncKey(inboxId)).get();
  return row?.since ?? null;
}
