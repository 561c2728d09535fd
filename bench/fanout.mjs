// The fan-out half of `npm run bench`: inbound messages delivered to ten local webhook
// subscribers through the queue, measured as deliveries per second (a burst) and as the
// time from the inbound webhook's 200 to each subscriber receiving the event (paced).
import { createHmac } from "node:crypto";
import { createServer } from "node:http";

const SUBSCRIBERS = 10;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const pct = (sorted, p) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] : null);

/** One local subscriber: answers 204 at once and notes when each inbound message arrived. */
function subscriber() {
  const seen = new Map();
  const server = createServer((req, res) => {
    const parts = [];
    req.on("data", (p) => parts.push(p));
    req.on("end", () => {
      const at = performance.now();
      try {
        const body = JSON.parse(Buffer.concat(parts).toString("utf8"));
        for (const m of body.incoming_messages ?? []) if (!seen.has(m.id)) seen.set(m.id, at);
      } catch {}
      res.writeHead(204).end();
    });
  });
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () => resolve({ server, seen, url: `http://127.0.0.1:${server.address().port}/hook` })),
  );
}

/** POSTs as fast as `connections` clients can (the no-op Worker: the same run's baseline). */
async function ceiling(autocannon, url, connections, duration) {
  return new Promise((resolve, reject) =>
    autocannon(
      { url, method: "POST", connections, duration, headers: { "content-type": "application/json" }, body: '{"incoming_messages":[]}' },
      (err, r) => (err ? reject(err) : resolve(r["2xx"] / r.duration)),
    ),
  );
}

export function envelope(tag, from, start, count, appSecret, at = Math.floor(Date.now() / 1000)) {
  const ts = String(at);
  const messages = Array.from({ length: count }, (_, i) => ({
    from,
    id: `wamid.fanout.${tag}.${start + i}`,
    timestamp: ts,
    type: "text",
    text: { body: `Fan-out ${start + i}` },
  }));
  const body = JSON.stringify({
    object: "whatsapp_business_account",
    entry: [
      {
        id: "WABA",
        changes: [{ field: "messages", value: { messaging_product: "whatsapp", metadata: { phone_number_id: "PNID" }, messages } }],
      },
    ],
  });
  const signature = `sha256=${createHmac("sha256", appSecret).update(body).digest("hex")}`;
  return { ids: messages.map((m) => m.id), body, signature };
}

export async function post(base, inboxId, e) {
  const r = await fetch(`${base}/webhooks/whatsapp/${inboxId}`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-hub-signature-256": e.signature },
    body: e.body,
  });
  await r.arrayBuffer();
  return r.status;
}

/** Waits until every subscriber has every id (or the deadline passes); returns the arrival time of the last one. */
async function allDelivered(subs, ids, deadlineMs) {
  const deadline = performance.now() + deadlineMs;
  while (performance.now() < deadline) {
    if (subs.every((s) => ids.every((id) => s.seen.has(id)))) {
      return Math.max(...subs.flatMap((s) => ids.map((id) => s.seen.get(id))));
    }
    await sleep(50);
  }
  return null;
}

export async function runFanout({ autocannon, base, noopBase, inboxId, adminToken, createUser, appSecret, burst, pacedSeconds, log }) {
  const subs = await Promise.all(Array.from({ length: SUBSCRIBERS }, subscriber));
  try {
    for (const [i, sub] of subs.entries()) {
      const userId = await createUser(`fanoutapp${i}`);
      const r = await fetch(`${base}/inboxes/${inboxId}/api/v1/webhooks/waba/`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Token ${adminToken}` },
        body: JSON.stringify({ url: sub.url, user: userId, on_outgoing_message: false, on_assigned: false }),
      });
      if (r.status !== 201) throw new Error(`webhook ${i}: HTTP ${r.status} ${await r.text()}`);
    }
    const tag = Date.now().toString(36);
    let next = 0;

    // Warm-up: a few events through the whole path.
    const warm = envelope(tag, "15558000000", next, 5, appSecret);
    next += 5;
    await post(base, inboxId, warm);
    await allDelivered(subs, warm.ids, 30_000);

    // Burst: `burst` messages in webhooks of 10, 10 at a time; deliveries/s from the first send to the last arrival.
    log(`- fan-out: burst of ${burst} messages to ${SUBSCRIBERS} subscribers (${burst * SUBSCRIBERS} deliveries)`);
    const envelopes = [];
    for (let i = 0; i < burst / 10; i++) {
      envelopes.push(envelope(tag, String(15558000100 + (i % 50)), next, 10, appSecret));
      next += 10;
    }
    const t0 = performance.now();
    for (let i = 0; i < envelopes.length; i += 10) await Promise.all(envelopes.slice(i, i + 10).map((e) => post(base, inboxId, e)));
    const ids = envelopes.flatMap((e) => e.ids);
    const last = await allDelivered(subs, ids, 300_000);
    const delivered = subs.reduce((n, s) => n + ids.filter((id) => s.seen.has(id)).length, 0);
    const burstSeconds = ((last ?? performance.now()) - t0) / 1000;

    // Paced: one message every 100 ms; latency from each 200 to each subscriber's receipt.
    log(`- fan-out: paced, 10 messages/s for ${pacedSeconds}s; latency from the inbound 200 to each subscriber`);
    const acks = new Map();
    const paced = [];
    const end = performance.now() + pacedSeconds * 1000;
    let k = 0;
    while (performance.now() < end) {
      const e = envelope(tag, String(15558000500 + (k++ % 20)), next++, 1, appSecret);
      paced.push(
        post(base, inboxId, e).then((status) => {
          if (status === 200) acks.set(e.ids[0], performance.now());
        }),
      );
      await sleep(100);
    }
    await Promise.all(paced);
    await allDelivered(subs, [...acks.keys()], 60_000);
    const latencies = [];
    for (const [id, ackedAt] of acks) for (const s of subs) if (s.seen.has(id)) latencies.push(Math.max(0, s.seen.get(id) - ackedAt));
    latencies.sort((a, b) => a - b);

    log("- fan-out: baseline, the no-op Worker's POST rate (10 connections, 5s)");
    const noopPerSec = await ceiling(autocannon, `${noopBase}/`, 10, 5);
    return {
      subscribers: SUBSCRIBERS,
      burst: {
        messages: ids.length,
        deliveries: delivered,
        expected: ids.length * SUBSCRIBERS,
        seconds: burstSeconds,
        deliveriesPerSec: delivered / burstSeconds,
      },
      paced: {
        messages: acks.size,
        deliveries: latencies.length,
        expected: acks.size * SUBSCRIBERS,
        p50: pct(latencies, 50),
        p95: pct(latencies, 95),
        p99: pct(latencies, 99),
        max: latencies.at(-1) ?? null,
      },
      noopPostsPerSec: noopPerSec,
    };
  } finally {
    for (const s of subs) s.server.close();
  }
}
