import type { BatchItem } from "drizzle-orm/batch";
import { config } from "../config";
import { createDb, type Db, shardOf } from "../db/client";
import { receivedMarkStatement } from "../db/queries/chats";
import { getRuleEngine } from "../db/queries/rules";
import {
  attemptStatement,
  type DeliveryWithReceiver,
  deliveriesByIds,
  deliveryBody,
  deliveryInserts,
  deliveryStateStatement,
  type NewDelivery,
  type Webhook,
  webhookStatement,
} from "../db/queries/webhooks";
import type { DeliveryAttempt, DeliveryState } from "../db/schema";
import { type DeliveryJob, enqueueDeliveries } from "../queues/jobs";
import { readable, undecryptable } from "../services/secrets";
import { applyEngineAnswer } from "./engine-answer";
import { signatureHeaders } from "./signature";
import { urlProblem } from "./url-policy";

/** A webhook failing without a single success for this long is disabled. */
const GIVE_UP_AFTER_S = 5 * 86_400;
/** How much of a subscriber's answer is kept in the delivery log. */
const EXCERPT_CHARS = 512;
/** A rule engine's answer is read up to this size. */
const ENGINE_ANSWER_BYTES = 1_048_576;

export type QueueMessage = { id: string; attempts: number; ack(): void; retry(options?: { delaySeconds?: number }): void };
type Outcome =
  | { kind: "delivered" }
  | { kind: "retry"; delaySeconds: number }
  /** Not sent again: a 410, a disabled or deleted receiver, a refused URL, secrets this SECRET_KEY cannot decrypt; `dead`: past the last retry. */
  | { kind: "final"; dead?: boolean };
/**
 * D1 writes of one attempt: its outcome for the delivery log (`logged`), the webhook's
 * state in the directory, the received marks on the inbox's shard. A batch's writes run
 * together, the marks first (they only move forward, so a retry repeats them harmlessly),
 * then the directory's.
 */
class Writes {
  readonly logged = new Map<string, { state: DeliveryState; attempt: DeliveryAttempt | null }>();
  readonly directory: BatchItem<"sqlite">[] = [];
  readonly marks: Mark[] = [];
  push(...items: BatchItem<"sqlite">[]) {
    this.directory.push(...items);
  }
  log(id: string, state: DeliveryState, attempt: DeliveryAttempt | null = null) {
    this.logged.set(id, { state, attempt });
  }
}

type Mark = { shard: Db; userId: number; inboxId: string; waId: string; timestamp: number };

/** A batch's received marks, the newest per user and chat only: a mark only moves forward, so the rest change nothing. */
function newestMarks(all: Writes[]): Mark[] {
  const newest = new Map<string, Mark>();
  for (const m of all.flatMap((w) => w.marks)) {
    const key = `${m.userId} ${m.inboxId} ${m.waId}`;
    if ((newest.get(key)?.timestamp ?? -1) < m.timestamp) newest.set(key, m);
  }
  return [...newest.values()];
}

/**
 * Writes a batch's marks and directory statements, each database in batches of
 * WRITES_PER_BATCH: the shards' first, then the directory's, starting with `first`.
 */
async function flush(db: Db, all: Writes[], first: BatchItem<"sqlite">[] = []): Promise<void> {
  const runs = new Map<Db, BatchItem<"sqlite">[]>();
  for (const m of newestMarks(all)) {
    const list = runs.get(m.shard) ?? [];
    list.push(receivedMarkStatement(m.shard, m.userId, m.inboxId, m.waId, m.timestamp, true));
    runs.set(m.shard, list);
  }
  // An inbox on the directory has its marks in the directory's own (last) batch.
  const own = runs.get(db) ?? [];
  runs.delete(db);
  runs.set(db, [...own, ...first, ...all.flatMap((w) => w.directory)]);
  for (const [on, items] of runs) {
    for (let i = 0; i < items.length; i += WRITES_PER_BATCH) {
      await on.batch(items.slice(i, i + WRITES_PER_BATCH) as [BatchItem<"sqlite">, ...BatchItem<"sqlite">[]]);
    }
  }
}

/**
 * Deliveries fan-out tries itself per batch, how many at once, and for how long: attempts
 * not begun within FIRST_ATTEMPTS_MS of the batch's start are queued untried, so subscribers
 * that answer fast take a burst without queue hops and slow ones cannot hold the batch.
 */
const FIRST_ATTEMPTS_MAX = 500;
const FIRST_ATTEMPTS_AT_ONCE = 20;
const FIRST_ATTEMPTS_MS = 2_000;

/**
 * First attempts, made by fan-out itself before anything is written: each delivery's row
 * is then written once, with its first outcome, and only those to try again are queued,
 * after their first retry's delay (no queue hop and no second write for a subscriber that
 * answers). A crash or failed write before the rows land replays the event, which sends
 * again under the same `webhook-id`. Queued untried, so that a subscriber that does not
 * answer cannot hold a fan-out batch (and the others' deliveries) for its timeout again
 * and again: a batch's deliveries past FIRST_ATTEMPTS_MAX or FIRST_ATTEMPTS_MS, those of a
 * webhook already failing, and the rest of a webhook's once one of its attempts in the batch failed.
 */
export async function deliverFirst(env: Env, db: Db, rows: NewDelivery[], hooks: Map<number, Webhook>): Promise<void> {
  const writes = new Writes();
  const run = limiter(FIRST_ATTEMPTS_AT_ONCE);
  const until = Date.now() + FIRST_ATTEMPTS_MS;
  const failing = new Set([...hooks.values()].filter((h) => h.failingSince !== null).map((h) => h.id));
  const outcomes = await Promise.all(
    rows.map((row, i) =>
      i >= FIRST_ATTEMPTS_MAX
        ? null
        : run(async (): Promise<Outcome | null> => {
            const webhookId = row.webhookId ?? null;
            if ((webhookId !== null && failing.has(webhookId)) || Date.now() > until) return null;
            const webhook = webhookId === null ? null : (hooks.get(webhookId) ?? null);
            const loaded = { ...row, webhookId, markWaId: row.markWaId ?? null, markTimestamp: row.markTimestamp ?? null, webhook };
            let outcome: Outcome;
            try {
              outcome = await deliverOne(env, db, { ...loaded, state: "pending", attempts: [] }, 1, writes);
            } catch (error) {
              log("warn", { delivery: row.id, error: String(error) });
              outcome = { kind: "retry", delaySeconds: 5 };
            }
            if (outcome.kind === "retry" && webhookId !== null) failing.add(webhookId);
            return outcome;
          }),
    ),
  );
  const written = rows.map((row) => {
    const logged = writes.logged.get(row.id);
    return logged ? { ...row, state: logged.state, attempts: logged.attempt ? [logged.attempt] : [] } : row;
  });
  await flush(db, [writes], deliveryInserts(db, written));
  const queued = rows.flatMap((row, i): (string | { id: string; tried: number; delaySeconds: number })[] => {
    const outcome = outcomes[i];
    if (!outcome) return [row.id];
    return outcome.kind === "retry" ? [{ id: row.id, tried: 1, delaySeconds: outcome.delaySeconds }] : [];
  });
  const dead = rows.filter((_, i) => {
    const outcome = outcomes[i];
    return outcome?.kind === "final" && outcome.dead;
  });
  await Promise.all([
    enqueueDeliveries(env, queued),
    dead.length ? env.WEBHOOKS_DLQ.sendBatch(dead.map((r) => ({ body: { type: "delivery", id: r.id } satisfies DeliveryJob }))) : null,
  ]);
}

/**
 * Delivers a batch of jobs concurrently: each is acked or retried on its own, so a slow
 * or failing subscriber never holds another back. Every attempt is logged on its
 * delivery (the batch's log entries and marks in one D1 batch, before any ack); a job past
 * its last retry goes to the dead-letter queue, whose consumer records it as dead.
 */
export async function deliverBatch(env: Env, jobs: { message: QueueMessage; job: DeliveryJob }[]): Promise<void> {
  const db = createDb(env);
  // Small bodies come with the batch; large ones (messages near their 256 KiB) are read and sent a few at a time.
  const found = await deliveriesByIds(
    db,
    jobs.map((j) => j.job.id),
    INLINE_BODY_CHARS,
  );
  const rows = new Map(found.map((d) => [d.id, d]));
  const large = limiter(LARGE_AT_ONCE);
  const results = await Promise.all(
    jobs.map(async ({ message, job }) => {
      const delivery = rows.get(job.id);
      // Gone with its webhook or inbox, or already delivered (a duplicate job): nothing to do.
      if (delivery?.state !== "pending") return { outcome: { kind: "final" } as Outcome, writes: new Writes() };
      const writes = new Writes();
      try {
        const send = async (): Promise<Outcome> => {
          const body = delivery.body ?? (await deliveryBody(db, delivery.id));
          const attempt = (job.tried ?? 0) + message.attempts;
          return body === undefined ? { kind: "final" } : deliverOne(env, db, { ...delivery, body }, attempt, writes);
        };
        return { outcome: await (delivery.body === null ? large(send) : send()), writes };
      } catch (error) {
        // Our own failure (D1, secrets): the attempt does not count against the subscriber.
        log("warn", { delivery: job.id, error: String(error) });
        return { outcome: { kind: "retry", delaySeconds: 5 } as Outcome, writes: new Writes() };
      }
    }),
  );
  for (const { writes } of results) {
    for (const [id, { state, attempt }] of writes.logged) {
      writes.push(attempt ? attemptStatement(db, id, state, attempt) : deliveryStateStatement(db, id, state));
    }
  }
  try {
    await flush(
      db,
      results.map((r) => r.writes),
    );
  } catch (error) {
    log("error", { note: "could not log the batch's attempts; every job retried", error: String(error) });
    for (const { message } of jobs) message.retry({ delaySeconds: 5 });
    return;
  }
  await Promise.all(
    jobs.map(async ({ message, job }, i) => {
      const { outcome } = results[i] as (typeof results)[number];
      if (outcome.kind === "retry") message.retry({ delaySeconds: outcome.delaySeconds });
      else if (outcome.kind === "final" && outcome.dead) {
        await env.WEBHOOKS_DLQ.send(job);
        message.ack();
      } else message.ack();
    }),
  );
}

const WRITES_PER_BATCH = 100;
const INLINE_BODY_CHARS = 65_536;
const LARGE_AT_ONCE = 4;

/** Runs at most `n` of the given tasks at once. */
function limiter(n: number) {
  let running = 0;
  const waiting: (() => void)[] = [];
  return async <T>(task: () => Promise<T>): Promise<T> => {
    while (running >= n) await new Promise<void>((resolve) => waiting.push(resolve));
    running++;
    try {
      return await task();
    } finally {
      running--;
      waiting.shift()?.();
    }
  };
}

/** A delivery with its body read. */
type Loaded = DeliveryWithReceiver & { body: string };

async function deliverOne(env: Env, db: Db, d: Loaded, attempt: number, writes: Writes): Promise<Outcome> {
  const settings = config(env);
  const target = await receiverOf(env, db, d);
  if ("dropped" in target) {
    log("warn", { delivery: d.id, note: `dropped: ${target.dropped}` });
    writes.log(d.id, "failed");
    return { kind: "final" };
  }
  const started = Date.now();
  const record = (state: DeliveryState, fields: Partial<DeliveryAttempt>) => {
    const entry: DeliveryAttempt = {
      at: Math.floor(started / 1000),
      status_code: null,
      latency_ms: Date.now() - started,
      response_excerpt: null,
      error: null,
      ...fields,
    };
    writes.log(d.id, state, entry);
  };
  if ("notSent" in target) {
    record("failed", { error: `Not sent: ${target.notSent}` });
    return { kind: "final" };
  }

  let response: Response;
  try {
    response = await fetch(target.url, {
      method: "POST",
      headers: {
        ...target.headers,
        "content-type": "application/json",
        "user-agent": "Switchboard-Webhooks/1",
        ...(await signatureHeaders(target.secrets, d.eventId, d.body)),
      },
      body: d.body,
      redirect: "manual",
      signal: AbortSignal.timeout(settings.WEBHOOK_TIMEOUT_MS),
    });
  } catch (error) {
    const timedOut = (error as Error)?.name === "TimeoutError";
    const message = timedOut ? `No answer within ${settings.WEBHOOK_TIMEOUT_MS} ms` : `Request failed: ${String(error)}`;
    return failed(env, db, d, attempt, writes, (state) => record(state, { error: message }), null);
  }

  const engine = d.webhookId === null;
  const text = await readStart(response, engine && response.ok ? ENGINE_ANSWER_BYTES : EXCERPT_CHARS * 4);
  const excerpt = text.slice(0, EXCERPT_CHARS) || null;
  if (response.ok) {
    const note = engine ? await applyEngineAnswer(env, db, d, text) : null;
    record("delivered", { status_code: response.status, response_excerpt: excerpt, error: note });
    if (d.webhook) await onDelivered(db, d, d.webhook, writes);
    return { kind: "delivered" };
  }
  const fields = { status_code: response.status, response_excerpt: excerpt };
  if (response.status === 410 && d.webhook) {
    record("failed", { ...fields, error: "410 Gone: the webhook is disabled" });
    writes.push(webhookStatement(db, d.inboxId, d.webhook.id, { isActive: false, disabledReason: "The subscriber answered 410 Gone." }));
    return { kind: "final" };
  }
  const redirect = response.status >= 300 && response.status < 400 ? "Redirects are not followed" : null;
  const retryAfter = response.status === 429 || response.status === 503 ? retryAfterSeconds(response.headers.get("retry-after")) : null;
  return failed(env, db, d, attempt, writes, (state) => record(state, { ...fields, error: redirect }), retryAfter);
}

/** A failed attempt: retried on the schedule (or as Retry-After asks), or dead after the last retry. */
function failed(
  env: Env,
  db: Db,
  d: DeliveryWithReceiver,
  attempt: number,
  writes: Writes,
  record: (state: DeliveryState) => void,
  retryAfter: number | null,
): Outcome {
  const delays = config(env).WEBHOOK_RETRY_DELAYS;
  const now = Math.floor(Date.now() / 1000);
  const hook = d.webhook;
  if (hook && hook.failingSince !== null && now - hook.failingSince >= GIVE_UP_AFTER_S) {
    record("failed");
    writes.push(webhookStatement(db, d.inboxId, hook.id, { isActive: false, disabledReason: "Every delivery failed for five days." }));
    log("warn", { webhook: hook.id, note: "disabled after five days of failures" });
    return { kind: "final" };
  }
  if (hook && hook.failingSince === null) writes.push(webhookStatement(db, d.inboxId, hook.id, { failingSince: now }));
  // Past the last retry it stays pending here: the dead-letter consumer marks it dead.
  record("pending");
  if (attempt > delays.length) return { kind: "final", dead: true };
  const planned = delays[attempt - 1] as number;
  return { kind: "retry", delaySeconds: Math.min(43_200, Math.max(retryAfter ?? 0, jitter(planned))) };
}

/** ±20 % so that many failing deliveries do not come back all at once. */
const jitter = (seconds: number) => Math.round(seconds * (0.8 + Math.random() * 0.4));

function retryAfterSeconds(value: string | null): number | null {
  if (!value) return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, Math.ceil(seconds));
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, Math.ceil((at - Date.now()) / 1000));
}

type Target = { url: string; secrets: string[]; headers: Record<string, string> };

/**
 * Where a delivery goes now: its webhook as it is today (URL, secrets), or the inbox's custom
 * engine. `dropped` when there is no such receiver any more; `notSent` when it cannot be sent as
 * it should be: a URL the policy refuses, or secrets stored under another SECRET_KEY (logged for
 * the operator; a redelivery sends it once repaired).
 */
async function receiverOf(env: Env, db: Db, d: DeliveryWithReceiver): Promise<Target | { dropped: string } | { notSent: string }> {
  const settings = config(env);
  const sealed = (what: string, fix: string) => {
    const notSent = undecryptable(what, fix);
    log("error", { delivery: d.id, error: notSent });
    return { notSent };
  };
  let target: Target;
  if (d.webhookId === null) {
    const engine = await getRuleEngine(db, d.inboxId);
    if (engine?.mode !== "custom" || !engine.url) return { dropped: "the inbox no longer has a custom rule engine" };
    const headers = engine.headers ? await readable(settings.SECRET_KEY, engine.headers) : {};
    if (!headers) return sealed("The rule engine's headers", "send them again (PATCH rule_engine/ with headers).");
    target = { url: engine.url, secrets: [], headers };
  } else {
    const hook = d.webhook;
    if (!hook) return { dropped: "the webhook was deleted" };
    if (!hook.isActive) return { dropped: "the webhook is disabled" };
    const current = (await readable(settings.SECRET_KEY, hook.secret))?.secret;
    if (!current) return sealed("The webhook's signing secret", "rotate it (POST webhooks/waba/{id}/rotate_secret/).");
    // The previous secret only for a day after a rotation, and only if it can be read: the rotation repairs an unreadable one.
    const previous =
      hook.previousSecret && (hook.previousSecretUntil ?? 0) > Date.now() / 1000
        ? (await readable(settings.SECRET_KEY, hook.previousSecret))?.secret
        : null;
    target = { url: hook.url, secrets: previous ? [current, previous] : [current], headers: {} };
  }
  const problem = urlProblem(target.url, settings.WEBHOOK_LOCAL_URLS);
  return problem ? { notSent: problem } : target;
}

/** A 2xx: the delivered messages count as received by the webhook's user (the mark only moves forward); the failure streak ends. */
async function onDelivered(db: Db, d: DeliveryWithReceiver, hook: Webhook, writes: Writes): Promise<void> {
  if (d.markWaId !== null && d.markTimestamp !== null) {
    const shard = await shardOf(db, d.inboxId);
    writes.marks.push({ shard, userId: hook.userId, inboxId: d.inboxId, waId: d.markWaId, timestamp: d.markTimestamp });
  }
  if (hook.failingSince !== null) writes.push(webhookStatement(db, d.inboxId, hook.id, { failingSince: null }));
}

/** The start of a body (the log keeps an excerpt; an engine's answer is read whole up to a cap). */
async function readStart(response: Response, maxBytes: number): Promise<string> {
  if (!response.body) return "";
  const reader = response.body.getReader();
  const parts: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < maxBytes) {
      const { done, value } = await reader.read();
      if (done) break;
      parts.push(value);
      size += value.byteLength;
    }
  } catch {
    // A body cut off midway: keep what came.
  } finally {
    void reader.cancel().catch(() => {});
  }
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const p of parts) {
    bytes.set(p, at);
    at += p.byteLength;
  }
  return new TextDecoder().decode(bytes.subarray(0, maxBytes));
}

const log = (level: "warn" | "error", fields: Record<string, unknown>) =>
  console[level](JSON.stringify({ level, queue: "webhooks", ...fields }));
