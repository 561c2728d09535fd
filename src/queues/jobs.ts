import { z } from "zod";
import { createDb } from "../db/client";
import { upsertPendingMedia } from "../db/queries/media";
import { EVENT_TYPES, type InboxEvent } from "../inbox/events";

/**
 * The jobs on the `DELIVERIES` queue. Bodies carry ids only, never secrets or payloads:
 * the consumer loads everything else from D1, so a queued job stays valid (and harmless)
 * whatever happens to the inbox's credentials in between.
 */
export const MediaJob = z.object({
  type: z.literal("media"),
  inboxId: z.string().min(1),
  /** The provider's media id, which is also our media id for inbound files. */
  mediaId: z.string().min(1).max(200),
  sha256: z.string().min(1).optional(),
  mimeType: z.string().min(1).optional(),
});

/** One event of an inbox's stream (`id` is stable: later the `webhook-id` of every delivery of it). */
export const EventJob = z.object({
  type: z.literal("event"),
  inboxId: z.string().min(1),
  id: z.string().min(1),
  seq: z.number().int().positive(),
  event: z.enum(EVENT_TYPES),
  refs: z.record(z.string(), z.union([z.string(), z.number(), z.null()])),
  at: z.number().int(),
});

export const Job = z.discriminatedUnion("type", [MediaJob, EventJob]);
export type Job = z.infer<typeof Job>;
export type MediaJob = z.infer<typeof MediaJob>;

/** Queues accept at most 100 messages per sendBatch. */
const SEND_BATCH_MAX = 100;

/**
 * Records inbound media as pending (so `GET /media/{id}/` answers 409 rather than 404
 * from now on) and queues one download job per file.
 */
export async function enqueueMediaFetch(env: Env, jobs: Omit<MediaJob, "type">[]): Promise<void> {
  const bodies = jobs.map((job) => Job.parse({ ...job, type: "media" }) as MediaJob);
  const db = createDb(env.DB);
  for (const inboxId of new Set(bodies.map((j) => j.inboxId))) {
    const rows = bodies.filter((j) => j.inboxId === inboxId).map((j) => ({ id: j.mediaId, mimeType: j.mimeType, sha256: j.sha256 }));
    await upsertPendingMedia(db, inboxId, rows);
  }
  for (let i = 0; i < bodies.length; i += SEND_BATCH_MAX) {
    await env.DELIVERIES.sendBatch(bodies.slice(i, i + SEND_BATCH_MAX).map((body) => ({ body })));
  }
}

/** Sends a drained batch of inbox events (at most 100, ids only) to the queue. */
export async function enqueueEvents(env: Env, inboxId: string, events: InboxEvent[]): Promise<void> {
  const bodies = events.map((e) => EventJob.parse({ type: "event", inboxId, id: e.id, seq: e.seq, event: e.type, refs: e.refs, at: e.at }));
  await env.DELIVERIES.sendBatch(bodies.map((body) => ({ body })));
}
