// The cost half of `npm run bench`: billed units per inbound message, per webhook delivery
// and per read, counted by the app itself (`BILLING_METER=on`, src/meter.ts, read through
// `GET /platform/v1/meter`), priced with the list prices below.

/**
 * Cloudflare Workers Paid list prices, USD per million units beyond the plan's included
 * amounts, as published on 2026-12-02 (developers.cloudflare.com: workers/platform/pricing,
 * d1/platform/pricing, durable-objects/platform/pricing, queues/platform/pricing). Durable
 * Object SQLite storage bills rows like D1. Not metered here: CPU time ($0.02 per million
 * CPU-ms) and Durable Object duration ($12.50 per million GB-s), both far below a cent per
 * thousand messages at these request times, and storage (per GB-month, not per message).
 */
export const PRICES = {
  date: "2026-12-02",
  perMillion: {
    workerRequests: 0.3,
    d1RowsRead: 0.001,
    d1RowsWritten: 1.0,
    objectRequests: 0.15,
    objectRowsRead: 0.001,
    objectRowsWritten: 1.0,
    queueOperations: 0.4,
  },
};

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Units per operation from two meter readings; Queue operations are a write, a read and a delete per message (under 64 KB). */
function per(before, after, n) {
  const d = Object.fromEntries(Object.keys(after).map((k) => [k, (after[k] - before[k]) / n]));
  d.queueOperations = d.queueWrites + 2 * d.queueReads;
  delete d.queueWrites;
  delete d.queueReads;
  d.dollarsPerMillion = Object.entries(PRICES.perMillion).reduce((sum, [k, price]) => sum + (d[k] ?? 0) * price, 0);
  return d;
}

/**
 * Runs every path a counted number of times against an app started with the meter on:
 * inbound messages (1 and 10 per webhook) with no subscriber, then with one subscriber,
 * then reads. Each reading waits until the queues and the inbox object are idle (the meter
 * stops moving), so late work is counted with the path that caused it.
 */
export async function runCost({ base, platformKey, workspaceId, inboxes, token, envelope, post, appSecret, readPaths, log }) {
  const meter = async () => {
    const r = await fetch(`${base}/platform/v1/meter`, { headers: { authorization: `Bearer ${platformKey}` } });
    if (r.status !== 200) throw new Error(`meter: HTTP ${r.status} ${await r.text()}`);
    return r.json();
  };
  const settled = async () => {
    let last = JSON.stringify(await meter());
    for (let quiet = 0; quiet < 3; ) {
      await sleep(300);
      const now = await meter();
      const key = JSON.stringify(now);
      quiet = key === last ? quiet + 1 : 0;
      last = key;
    }
    return meter();
  };
  const tag = Date.now().toString(36);
  let next = 0;
  // Each webhook a second after the one before (in the past): a customer's every webhook then
  // moves its contact's last_seen_on, as in a conversation, rather than most landing in one second.
  const start = Math.floor(Date.now() / 1000) - 10_000;
  const inbound = async (inboxId, messages, perWebhook) => {
    const envelopes = [];
    for (let i = 0; i < messages / perWebhook; i++) {
      envelopes.push(envelope(`${tag}c`, String(15556000000 + (i % 50)), next, perWebhook, appSecret, start + next));
      next += perWebhook;
    }
    for (let i = 0; i < envelopes.length; i += 10) {
      const statuses = await Promise.all(envelopes.slice(i, i + 10).map((e) => post(base, inboxId, e)));
      if (statuses.some((s) => s !== 200)) throw new Error(`cost: inbound HTTP ${statuses.find((s) => s !== 200)}`);
    }
  };
  // The meter around `run`, per `n` operations.
  const measure = async (n, run) => {
    const before = await settled();
    await run();
    return per(before, await settled(), n);
  };
  const out = {};
  const N = 500;
  await inbound(inboxes.quiet, 20, 1); // warm: chats exist, as in a running inbox
  log(`- cost: ${N} inbound messages, 1 per webhook, no subscriber`);
  out.inbound1 = await measure(N, () => inbound(inboxes.quiet, N, 1));
  log(`- cost: ${N} inbound messages, 10 per webhook, no subscriber`);
  out.inbound10 = await measure(N, () => inbound(inboxes.quiet, N, 10));

  const received = new Set();
  const { createServer } = await import("node:http");
  const server = createServer((req, res) => {
    const parts = [];
    req.on("data", (p) => parts.push(p));
    req.on("end", () => {
      try {
        for (const m of JSON.parse(Buffer.concat(parts).toString("utf8")).incoming_messages ?? []) received.add(m.id);
      } catch {}
      res.writeHead(204).end();
    });
  });
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  try {
    const user = await fetch(`${base}/platform/v1/workspaces/${workspaceId}/users`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${platformKey}` },
      body: JSON.stringify({ username: "costapp", password: `cost-${tag}-password`, email: "costapp@example.com", role: "app" }),
    });
    if (user.status !== 201) throw new Error(`cost: user HTTP ${user.status} ${await user.text()}`);
    const userId = (await user.json()).id;
    const r = await fetch(`${base}/inboxes/${inboxes.subscribed}/api/v1/webhooks/waba/`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Token ${token}` },
      body: JSON.stringify({
        url: `http://127.0.0.1:${server.address().port}/hook`,
        user: userId,
        on_outgoing_message: false,
        on_assigned: false,
      }),
    });
    if (r.status !== 201) throw new Error(`cost: webhook HTTP ${r.status} ${await r.text()}`);
    await inbound(inboxes.subscribed, 20, 1);
    log(`- cost: ${N} inbound messages, 1 per webhook, one subscriber`);
    // Counted from when the meter settled (the warm-up's deliveries done) to when it settles again.
    const delivered = async (perWebhook) => {
      let from = 0;
      const units = await measure(N, () => {
        from = received.size;
        return inbound(inboxes.subscribed, N, perWebhook);
      });
      return { ...units, deliveries: received.size - from };
    };
    out.delivered1 = await delivered(1);
    log(`- cost: ${N} inbound messages, 10 per webhook, one subscriber`);
    out.delivered10 = await delivered(10);
  } finally {
    server.close();
  }
  // A delivery's own share: the subscribed run less the same run without a subscriber.
  out.delivery = Object.fromEntries(Object.keys(out.delivered1).map((k) => [k, out.delivered1[k] - (out.inbound1[k] ?? 0)]));
  delete out.delivery.deliveries;
  for (const run of [out.delivered1, out.delivered10]) {
    if (run.deliveries !== N) throw new Error(`cost: ${run.deliveries} of ${N} messages reached the subscriber`);
  }

  out.reads = {};
  for (const [name, path] of Object.entries(readPaths)) {
    log(`- cost: 50 × GET ${name}`);
    out.reads[name] = await measure(50, async () => {
      for (let i = 0; i < 50; i++) {
        const r = await fetch(`${base}${path}`, { headers: { authorization: `Token ${token}` } });
        if (r.status !== 200) throw new Error(`cost: ${name} HTTP ${r.status}`);
        await r.arrayBuffer();
      }
    });
  }
  return { prices: PRICES, ...out };
}
