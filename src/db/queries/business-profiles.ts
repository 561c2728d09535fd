import { eq } from "drizzle-orm";
import { z } from "zod";
import { type BusinessProfile, EMPTY_PROFILE, verticalName } from "../../providers/business-profile-model";
import type { Db } from "../client";
import { businessProfiles } from "../schema";
import { finishRefresh } from "./upstream-syncs";

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

/** Stores what the upstream answered and records the refresh that started `at`, in one batch (one transaction in D1). */
export async function finishProfileRefresh(db: Db, inboxId: string, changes: Changes, at: number): Promise<void> {
  await db.batch([upsert(db, inboxId, changes, at), finishRefresh(db, inboxId, "business_profile", at)]);
}
