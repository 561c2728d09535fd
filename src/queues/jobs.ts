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
const StreamEvent = z.object({
  id: z.string().min(1),
  seq: z.number().int().positive(),
  event: z.enum(EVENT_TYPES),
  refs: z.record(z.string(), z.union([z.string(), z.number(), z.null()])),
  at: z.number().int(),
});

/** Queues accept at most 100 messages per sendBatch; an events job carries at most 100 events. */
const SEND_BATCH_MAX = 100;

/**
 * Events of one inbox in one queue message: Queues bill an operation per message (per
 * 64 KB), so a drained batch costs three operations, not three per event.
 */
export const EventsJob = z.object({
  type: z.literal("events"),
  inboxId: z.string().min(1),
  events: z.array(StreamEvent).min(1).max(SEND_BATCH_MAX),
});

/** One event with its inbox, as fan-out and the sockets handle it. */
export type EventJob = z.infer<typeof StreamEvent> & { type: "event"; inboxId: string };

/**
 * One delivery (an event for one webhook or rule engine), on the `WEBHOOKS` queue;
 * `tried`: attempts made before it was queued (fan-out's first), so its retries follow on.
 */
export const DeliveryJob = z.object({ type: z.literal("delivery"), id: z.string().min(1), tried: z.number().int().min(0).optional() });

export const Job = z.discriminatedUnion("type", [MediaJob, EventsJob, DeliveryJob]);
export type Job = z.infer<typeof Job>;
export type MediaJob = z.infer<typeof MediaJob>;
export type EventsJob = z.infer<typeof EventsJob>;
export type DeliveryJob = z.infer<typeof DeliveryJob>;

/** An inbox's events as the jobs they are handled as. */
export const eventJobs = (inboxId: string, events: InboxEvent[]): EventJob[] =>
  events.map((e) => ({ type: "event", inboxId, id: e.id, seq: e.seq, event: e.type, refs: e.refs, at: e.at }));

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

/** Sends inbox events (ids only) to the webhook fan-out, up to 100 per queue message. */
export async function enqueueEvents(env: Env, inboxId: string, events: InboxEvent[]): Promise<void> {
  const bodies: EventsJob[] = [];
  for (let i = 0; i < events.length; i += SEND_BATCH_MAX) {
    const chunk = events.slice(i, i + SEND_BATCH_MAX).map((e) => ({ id: e.id, seq: e.seq, event: e.type, refs: e.refs, at: e.at }));
    bodies.push(EventsJob.parse({ type: "events", inboxId, events: chunk }));
  }
  for (let i = 0; i < bodies.length; i += SEND_BATCH_MAX) {
    await env.WEBHOOKS.sendBatch(bodies.slice(i, i + SEND_BATCH_MAX).map((body) => ({ body })));
  }
}

/** Queues deliveries by id, each after its own delay when given (a retry of an attempt made already). */
export async function enqueueDeliveries(env: Env, jobs: (string | { id: string; tried: number; delaySeconds: number })[]): Promise<void> {
  const messages = jobs.map((j) =>
    typeof j === "string"
      ? { body: { type: "delivery", id: j } satisfies DeliveryJob }
      : { body: { type: "delivery", id: j.id, tried: j.tried } satisfies DeliveryJob, delaySeconds: j.delaySeconds },
  );
  const sends: Promise<unknown>[] = [];
  for (let i = 0; i < messages.length; i += SEND_BATCH_MAX) sends.push(env.WEBHOOKS.sendBatch(messages.slice(i, i + SEND_BATCH_MAX)));
  await Promise.all(sends);
}
