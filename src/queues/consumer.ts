import { z } from "zod";
import { createDb } from "../db/client";
import { findInboxForRequest } from "../db/queries/inboxes";
import { getMedia, markMediaFailed } from "../db/queries/media";
import { setDeliveryState } from "../db/queries/webhooks";
import { fetchInboundMedia } from "../services/media-fetch";
import { deliverBatch, type QueueMessage } from "../webhooks/deliver";
import { fanOutBatch } from "../webhooks/fan-out";
import { type DeliveryJob, type EventJob, Job } from "./jobs";

export const DEAD_LETTER_QUEUE = "switchboard-deliveries-dlq";
export const WEBHOOKS_QUEUE = "switchboard-webhooks";
export const WEBHOOKS_DEAD_LETTER_QUEUE = "switchboard-webhooks-dlq";

/** Exponential backoff from the message's attempt count (1 on first delivery), at most an hour. */
export const retryDelay = (attempts: number) => Math.min(2 ** attempts * 5, 3600);

type Message = { id: string; attempts: number };
const log = (level: "warn" | "error", queue: string, message: Message, fields: Record<string, unknown>) =>
  console[level](JSON.stringify({ level, queue, id: message.id, attempts: message.attempts, ...fields }));

/** The Worker's `queue` handler: every queue, dead-letter queues included, is consumed by the same Worker. */
export function consumeQueue(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  switch (batch.queue) {
    case WEBHOOKS_QUEUE:
      return consumeWebhooks(batch, env);
    case WEBHOOKS_DEAD_LETTER_QUEUE:
      return consumeDeadDeliveries(batch, env);
    case DEAD_LETTER_QUEUE:
      return consumeDeadLetters(batch, env);
    default:
      return consumeDeliveries(batch, env);
  }
}

/**
 * The webhook queue: events are fanned out to deliveries, and deliveries sent, all
 * concurrently, each acked or retried on its own.
 */
export async function consumeWebhooks(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  const deliveries: { message: QueueMessage; job: DeliveryJob }[] = [];
  const events: { message: QueueMessage; job: EventJob }[] = [];
  for (const message of batch.messages) {
    const parsed = Job.safeParse(message.body);
    if (!parsed.success || parsed.data.type === "media") {
      log("error", batch.queue, message, { note: "not a webhook job; retried until it dead-letters" });
      message.retry();
      continue;
    }
    const job = parsed.data;
    if (job.type === "delivery") deliveries.push({ message, job });
    else events.push(...job.events.map((e) => ({ message, job: { ...e, type: "event" as const, inboxId: job.inboxId } })));
  }
  await Promise.all([
    events.length ? fanOutBatch(env, events, retryDelay) : undefined,
    deliveries.length ? deliverBatch(env, deliveries) : undefined,
  ]);
}

/**
 * Deliveries past their last retry (or whose job kept failing): marked dead, so the
 * delivery log says so; an event whose fan-out kept failing is logged.
 */
export async function consumeDeadDeliveries(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  const db = createDb(env);
  for (const message of batch.messages) {
    const parsed = Job.safeParse(message.body);
    if (parsed.success && parsed.data.type === "delivery") await setDeliveryState(db, parsed.data.id, "dead");
    log("error", batch.queue, message, { job: message.body, note: "gave up" });
    message.ack();
  }
}

/**
 * Runs each job and acks it, or retries it with backoff. A body that is not a job is
 * retried too (without delay), so it ends in the dead-letter queue where it can be
 * seen, rather than being acked away. Jobs run one at a time: parallel downloads of
 * large media would not fit in a Worker's memory.
 */
export async function consumeDeliveries(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  for (const message of batch.messages) {
    const parsed = Job.safeParse(message.body);
    if (!parsed.success) {
      log("error", batch.queue, message, { note: "not a job; retried until it dead-letters", problem: z.prettifyError(parsed.error) });
      message.retry();
      continue;
    }
    try {
      await runJob(env, parsed.data, batch.queue, message);
      message.ack();
    } catch (error) {
      const delaySeconds = retryDelay(message.attempts);
      log("warn", batch.queue, message, { job: parsed.data, error: String(error), retryInSeconds: delaySeconds });
      message.retry({ delaySeconds });
    }
  }
}

async function runJob(env: Env, job: Job, queue: string, message: Message): Promise<void> {
  switch (job.type) {
    case "media": {
      // Unscoped lookup by the id the job carries: the job was queued by us for that inbox.
      const inbox = await findInboxForRequest(createDb(env), { id: job.inboxId });
      if (!inbox) {
        // Deleting the inbox deleted its media rows too: there is nothing left to fetch for.
        log("warn", queue, message, { job, note: "inbox no longer exists; job dropped" });
        return;
      }
      await fetchInboundMedia(env, inbox, job.mediaId, job.sha256, job.mimeType);
      return;
    }
    default:
      // Event and delivery jobs belong on the webhook queue; one that lands here is moved there.
      await env.WEBHOOKS.send(job);
      return;
  }
}

/**
 * The dead-letter queue: jobs that failed every retry. Media rows are marked failed for
 * good (their last error kept) so the API reports the failure; everything is logged.
 */
export async function consumeDeadLetters(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  const db = createDb(env);
  for (const message of batch.messages) {
    const parsed = Job.safeParse(message.body);
    if (!parsed.success) {
      log("error", batch.queue, message, {
        note: "gave up on a body that is not a job",
        body: JSON.stringify(message.body)?.slice(0, 500),
      });
      message.ack();
      continue;
    }
    const job = parsed.data;
    if (job.type === "media") {
      const row = await getMedia(db, job.inboxId, job.mediaId);
      // No row: the inbox (and so its media) was deleted; there is nothing to mark.
      if (row) {
        const reason = `gave up after ${row.attempts} attempts${row.lastError ? `: ${row.lastError}` : ""}`;
        await markMediaFailed(db, job.inboxId, job.mediaId, reason, false);
      }
    }
    log("error", batch.queue, message, { job, note: "gave up" });
    message.ack();
  }
}
