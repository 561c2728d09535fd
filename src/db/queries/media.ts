import { and, eq, ne, sql } from "drizzle-orm";
import { type Db, shardOf } from "../client";
import { media } from "../schema";

export type Media = typeof media.$inferSelect;
type StoredFile = { mimeType: string; sha256: string; size: number; filename?: string | null; uploadedBy?: number };

/** Longer upstream errors are cut: the row is for people, the logs keep the rest. */
const MAX_ERROR_CHARS = 1000;

/** An uploaded file, already written to R2. */
export async function insertMedia(db: Db, inboxId: string, id: string, file: StoredFile): Promise<Media> {
  const shard = await shardOf(db, inboxId);
  return (await shard
    .insert(media)
    .values({ inboxId, id, ...file, state: "stored" })
    .returning()
    .get()) as Media;
}

export async function getMedia(db: Db, inboxId: string, id: string): Promise<Media | undefined> {
  const shard = await shardOf(db, inboxId);
  return shard
    .select()
    .from(media)
    .where(and(eq(media.inboxId, inboxId), eq(media.id, id)))
    .get();
}

/**
 * Inbound media about to be fetched: a new id becomes `pending`; a `failed` one is
 * pending again (the provider sent it anew, so it is worth another try); a stored one stays.
 */
export async function upsertPendingMedia(db: Db, inboxId: string, rows: { id: string; mimeType?: string; sha256?: string }[]) {
  const shard = await shardOf(db, inboxId);
  // Five bound values per row (plus two for the conflict clause); D1 takes at most 100 per statement.
  for (let i = 0; i < rows.length; i += 15) {
    await shard
      .insert(media)
      .values(
        rows
          .slice(i, i + 15)
          .map((r) => ({ inboxId, id: r.id, mimeType: r.mimeType ?? null, sha256: r.sha256 ?? null, state: "pending" as const })),
      )
      .onConflictDoUpdate({
        target: [media.inboxId, media.id],
        set: { state: "pending" },
        setWhere: eq(media.state, "failed"),
      });
  }
}

/** A download that succeeded; an upsert, so a job whose pending row is missing still records its file. */
export async function markMediaStored(db: Db, inboxId: string, id: string, file: StoredFile): Promise<void> {
  const shard = await shardOf(db, inboxId);
  await shard
    .insert(media)
    .values({ inboxId, id, ...file, state: "stored", attempts: 1 })
    .onConflictDoUpdate({
      target: [media.inboxId, media.id],
      set: { ...file, state: "stored", attempts: sql`${media.attempts} + 1`, lastError: null },
    });
}

/**
 * A download that failed. `countAttempt: false` is for the dead-letter consumer, which
 * reports the attempts already made. A stored file never becomes failed (late duplicate jobs).
 */
export async function markMediaFailed(db: Db, inboxId: string, id: string, error: string, countAttempt = true): Promise<void> {
  const shard = await shardOf(db, inboxId);
  const lastError = error.slice(0, MAX_ERROR_CHARS);
  await shard
    .insert(media)
    .values({ inboxId, id, state: "failed", attempts: countAttempt ? 1 : 0, lastError })
    .onConflictDoUpdate({
      target: [media.inboxId, media.id],
      set: { state: "failed", lastError, attempts: countAttempt ? sql`${media.attempts} + 1` : sql`${media.attempts}` },
      setWhere: ne(media.state, "stored"),
    });
}
