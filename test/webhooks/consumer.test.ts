import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { HttpResponse, http } from "msw";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { createDb } from "../../src/db/client";
import {
  deliveriesByIds,
  deliveryId,
  deliveryInserts,
  listDeliveries,
  type NewDelivery,
  updateWebhook,
} from "../../src/db/queries/webhooks";
import { consumeQueue, WEBHOOKS_QUEUE } from "../../src/queues/consumer";
import { callJson } from "../helpers/api";
import { createUser, createWorkspace, type TestWorkspace } from "../helpers/factories";
import { upstream } from "../helpers/upstream";
import { createWebhook, eventually } from "./support";

let ws: TestWorkspace;
beforeAll(async () => {
  ws = await createWorkspace();
});

let n = 0;
/** A webhook at a fresh URL answered by `answer`, and one pending delivery to it (not queued: the test runs the consumer). */
async function pendingDelivery(answer: (req: Request) => Response | Promise<Response>, body = '{"messages":[]}') {
  const url = `https://contract${n++}.example.com/hook`;
  upstream.use(http.post(url, ({ request }) => answer(request as unknown as Request)));
  const owner = await createUser(ws, "app");
  const hook = await createWebhook(ws, owner, { url });
  const delivery = await deliveryRow(ws.inboxId, `webhook:${hook.id}`, Math.floor(Date.now() / 1000), { webhookId: hook.id, body });
  const [insert] = deliveryInserts(createDb(env), [delivery]);
  await insert;
  return { id: delivery.id, hook, owner };
}

/** A delivery as fan-out makes it, of a fresh event at `seconds`. */
async function deliveryRow(inboxId: string, receiver: string, seconds: number, fields: Partial<NewDelivery> = {}): Promise<NewDelivery> {
  const eventId = crypto.randomUUID();
  return {
    id: await deliveryId(inboxId, receiver, eventId, seconds),
    inboxId,
    webhookId: null,
    receiver,
    eventId,
    eventType: "message.in",
    body: '{"messages":[]}',
    markWaId: null,
    markTimestamp: null,
    createdAt: seconds,
    ...fields,
  };
}

/** Runs the webhook queue's consumer on these jobs and reports what it acked and retried. */
async function run(jobs: { id: string; attempts?: number }[], settings: Record<string, string> = {}) {
  const batch = createMessageBatch(
    WEBHOOKS_QUEUE,
    jobs.map((j, i) => ({ id: `m${i}`, timestamp: new Date(), attempts: j.attempts ?? 1, body: { type: "delivery", id: j.id } })),
  );
  const retries = batch.messages.map((m) => vi.spyOn(m, "retry"));
  const ctx = createExecutionContext();
  await consumeQueue(batch, { ...env, ...settings } as Env);
  const result = await getQueueResult(batch, ctx);
  return {
    acked: result.explicitAcks,
    retried: result.retryMessages.map((m) => m.msgId),
    delays: retries.map((r) => r.mock.calls[0]?.[0]?.delaySeconds),
  };
}
const row = async (id: string) => (await deliveriesByIds(createDb(env), [id]))[0];

describe("the webhook queue consumer", () => {
  it("acks a 2xx and logs the attempt with status, latency and the answer's start", async () => {
    const d = await pendingDelivery(() => HttpResponse.text("ok thanks"));
    expect(await run([{ id: d.id }])).toMatchObject({ acked: ["m0"], retried: [] });
    const saved = await row(d.id);
    expect(saved?.state).toBe("delivered");
    expect(saved?.attempts).toEqual([
      { at: expect.any(Number), status_code: 200, latency_ms: expect.any(Number), response_excerpt: "ok thanks", error: null },
    ]);
  });

  it("retries a failure on the configured schedule, with jitter, and honours Retry-After", async () => {
    const failing = await pendingDelivery(() => new HttpResponse("down", { status: 500 }));
    const limited = await pendingDelivery(() => new HttpResponse(null, { status: 429, headers: { "retry-after": "120" } }));
    const result = await run([{ id: failing.id, attempts: 2 }, { id: limited.id }], { WEBHOOK_RETRY_DELAYS: "10,100,1000" });
    expect(result.acked).toEqual([]);
    expect(result.retried).toEqual(["m0", "m1"]);
    expect(result.delays[0]).toBeGreaterThanOrEqual(80);
    expect(result.delays[0]).toBeLessThanOrEqual(120);
    expect(result.delays[1]).toBe(120);
    expect(await row(failing.id)).toMatchObject({
      state: "pending",
      attempts: [{ status_code: 500, response_excerpt: "down", error: null }],
    });
  });

  it("times out a slow subscriber and retries it, without holding back the others", async () => {
    const slow = await pendingDelivery(async () => {
      await new Promise((r) => setTimeout(r, 1500));
      return HttpResponse.text("late");
    });
    const fast = await pendingDelivery(() => HttpResponse.text("ok"));
    const started = Date.now();
    const result = await run([{ id: slow.id }, { id: fast.id }], { WEBHOOK_TIMEOUT_MS: "300" });
    expect(Date.now() - started).toBeLessThan(1400);
    expect(result).toMatchObject({ acked: ["m1"], retried: ["m0"] });
    expect((await row(slow.id))?.attempts).toEqual([
      {
        at: expect.any(Number),
        status_code: null,
        latency_ms: expect.any(Number),
        response_excerpt: null,
        error: "No answer within 300 ms",
      },
    ]);
  });

  it("disables the webhook on 410 Gone, and drops what is pending for it", async () => {
    const d = await pendingDelivery(() => new HttpResponse(null, { status: 410 }));
    expect(await run([{ id: d.id }])).toMatchObject({ acked: ["m0"], retried: [] });
    expect((await row(d.id))?.state).toBe("failed");
    const hook = await callJson(`${ws.prefix}/webhooks/waba/${d.hook.id}/`, { token: d.owner.token });
    expect(hook.body.is_active).toBe(false);
    const later = await pendingDelivery(() => HttpResponse.text("never called"));
    await callJson(`${ws.prefix}/webhooks/waba/${later.hook.id}/`, {
      method: "PATCH",
      token: later.owner.token,
      body: { is_active: false },
    });
    expect(await run([{ id: later.id }])).toMatchObject({ acked: ["m0"], retried: [] });
    expect(await row(later.id)).toMatchObject({ state: "failed", attempts: [] });
  });

  it("disables a webhook that has failed without a success for five days", async () => {
    const d = await pendingDelivery(() => new HttpResponse(null, { status: 500 }));
    await updateWebhook(createDb(env), ws.inboxId, d.hook.id, { failingSince: Math.floor(Date.now() / 1000) - 5 * 86_400 - 60 });
    expect(await run([{ id: d.id }])).toMatchObject({ acked: ["m0"], retried: [] });
    expect((await row(d.id))?.state).toBe("failed");
    expect((await callJson(`${ws.prefix}/webhooks/waba/${d.hook.id}/`, { token: d.owner.token })).body.is_active).toBe(false);
    // Reactivating starts afresh.
    const resumed = await callJson(`${ws.prefix}/webhooks/waba/${d.hook.id}/`, {
      method: "PATCH",
      token: d.owner.token,
      body: { is_active: true },
    });
    expect(resumed.body.is_active).toBe(true);
    expect((await deliveriesByIds(createDb(env), [d.id]))[0]?.webhook?.failingSince).toBeNull();
  });

  it("sends large bodies whole (read apart from the batch, a few at a time)", async () => {
    const big = JSON.stringify({ messages: [{ text: { body: "x".repeat(300_000) } }] });
    const got: string[] = [];
    const deliveries = await Promise.all(
      [1, 2, 3, 4, 5, 6].map(() =>
        pendingDelivery(async (req) => {
          got.push(await req.text());
          return HttpResponse.text("ok");
        }, big),
      ),
    );
    const small = await pendingDelivery(() => HttpResponse.text("ok"));
    const result = await run([...deliveries, small].map((d) => ({ id: d.id })));
    expect(result.acked).toHaveLength(7);
    expect(got).toEqual(Array(6).fill(big));
    for (const d of deliveries) expect((await row(d.id))?.state).toBe("delivered");
  });

  it("does not follow redirects: a 3xx is logged and retried", async () => {
    const d = await pendingDelivery(() => new HttpResponse(null, { status: 302, headers: { location: "http://169.254.169.254/" } }));
    expect(await run([{ id: d.id }])).toMatchObject({ retried: ["m0"] });
    expect((await row(d.id))?.attempts[0]).toMatchObject({ status_code: 302, error: "Redirects are not followed" });
  });

  it("sends a job past its last retry to the dead-letter queue, whose consumer marks it dead", async () => {
    const d = await pendingDelivery(() => new HttpResponse(null, { status: 500 }));
    expect(await run([{ id: d.id, attempts: 3 }], { WEBHOOK_RETRY_DELAYS: "1,1" })).toMatchObject({ acked: ["m0"], retried: [] });
    await eventually(async () => expect((await row(d.id))?.state).toBe("dead"));
  });

  it("acks jobs whose delivery is gone or done, and retries what is not a job", async () => {
    const d = await pendingDelivery(() => HttpResponse.text("ok"));
    await run([{ id: d.id }]);
    expect(await run([{ id: d.id }, { id: crypto.randomUUID() }])).toMatchObject({ acked: ["m0", "m1"], retried: [] });
    const batch = createMessageBatch(WEBHOOKS_QUEUE, [{ id: "bad", timestamp: new Date(), attempts: 1, body: { type: "nonsense" } }]);
    const ctx = createExecutionContext();
    await consumeQueue(batch, env);
    expect((await getQueueResult(batch, ctx)).retryMessages.map((m) => m.msgId)).toEqual(["bad"]);
  });
});

describe("the delivery log", () => {
  it("is each receiver's own range of ids, newest event first, however alike the receivers' names", async () => {
    const other = await createWorkspace();
    const at = 1_900_000_000;
    const rows = await Promise.all([
      deliveryRow(ws.inboxId, "webhook:7001", at),
      deliveryRow(ws.inboxId, "webhook:7001", at + 60),
      deliveryRow(ws.inboxId, "webhook:7001", at - 3600),
      deliveryRow(ws.inboxId, "webhook:70011", at + 30),
      deliveryRow(ws.inboxId, "engine", at + 10),
      deliveryRow(other.inboxId, "engine", at + 20),
    ]);
    const db = createDb(env);
    for (const insert of deliveryInserts(db, rows)) await insert;
    const log = async (inboxId: string, receiver: string) =>
      (await listDeliveries(db, inboxId, receiver, undefined, 10, 0)).rows.map((r) => r.eventId);
    const [a0, a1, a2, b, e1, e2] = rows.map((r) => r.eventId);
    expect(await log(ws.inboxId, "webhook:7001")).toEqual([a1, a0, a2]);
    expect(await log(ws.inboxId, "webhook:70011")).toEqual([b]);
    expect(await log(ws.inboxId, "engine")).toEqual([e1]);
    expect(await log(other.inboxId, "engine")).toEqual([e2]);
    expect((await listDeliveries(db, ws.inboxId, "webhook:7001", undefined, 1, 1)).count).toBe(3);
  });
});
