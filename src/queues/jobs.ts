import { z } from "zod";
import { createDb } from "../db/client";
import { upsertPendingMedia } from "../db/queries/media";
import { EVENT_TYPES, type InboxEvent } from "../inbox/events";

/**
 * Queue jobs: media downloads on `DELIVERIES`, event fan-out and webhook deliveries on
 * `WEBHOOKS` (so a slow download never delays an event). Bodies carry ids only, never secrets or payloads:
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

/** One delivery (an event for one webhook or rule engine), on the `WEBHOOKS` queue. */
export const DeliveryJob = z.object({ type: z.literal("delivery"), id: z.string().min(1) });

export const Job = z.discriminatedUnion("type", [MediaJob, EventJob, DeliveryJob]);
export type Job = z.infer<typeof Job>;
export type MediaJob = z.infer<typeof MediaJob>;
export type EventJob = z.infer<typeof EventJob>;
export type DeliveryJob = z.infer<typeof DeliveryJob>;

/** Queues accept at most 100 messages per sendBatch. */
const SEND_BATCH_MAX = 100;

/**
 * Records inbound media as pending (so `GET /media/{id}/` answers 409 rather than 404
 * from now on) and queues one download job per file.
 */
export async function enqueueMediaFetch(env: Env, jobs: Omit<MediaJob, "type">[]): Promise<void> {
  const bodies = jobs.map((job) => Job.parse({ ...job, type: "media" }) as MediaJob);
  const db = createDb(env);
  for (const inboxId of new Set(bodies.map((j) => j.inboxId))) {
    const rows = bodies.filter((j) => j.inboxId === inboxId).map((j) => ({ id: j.mediaId, mimeType: j.mimeType, sha256: j.sha256 }));
    await upsertPendingMedia(db, inboxId, rows);
  }
  for (let i = 0; i < bodies.length; i += SEND_BATCH_MAX) {
    await env.DELIVERIES.sendBatch(bodies.slice(i, i + SEND_BATCH_MAX).map((body) => ({ body })));
  }
}

/** Sends a drained batch of inbox events (at most 100, ids only) to the webhook fan-out. */
export async function enqueueEvents(env: Env, inboxId: string, events: InboxEvent[]): Promise<void> {
  const bodies = events.map((e) => EventJob.parse({ type: "event", inboxId, id: e.id, seq: e.seq, event: e.type, refs: e.refs, at: e.at }));
  await env.WEBHOOKS.sendBatch(bodies.map((body) => ({ body })));
}

/** Queues deliveries by id. */
export async function enqueueDeliveries(env: Env, ids: string[]): Promise<void> {
  const sends: Promise<unknown>[] = [];
  for (let i = 0; i < ids.length; i += SEND_BATCH_MAX) {
    sends.push(
      env.WEBHOOKS.sendBatch(ids.slice(i, i + SEND_BATCH_MAX).map((id) => ({ body: { type: "delivery", id } satisfies DeliveryJob }))),
    );
  }
  await Promise.all(sends);
}
