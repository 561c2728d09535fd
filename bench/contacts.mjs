// The contacts part of `npm run bench` (`--only contacts`): a CRM import through RapidPro v2
// (creates, then the same import again as updates) beside the no-op Worker's rate under the
// same load, lookups and pages at that size, seed 003 and the Polser webhook, and the hard
// delete of a contact whose chat holds many messages.
import { createHmac } from "node:crypto";

const pct = (sorted, p) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] : null);
const CHANNEL = "+15550100005";
const number = (k) => String(15560000000 + k);

async function call(base, path, { method = "GET", body, headers = {} } = {}) {
  const r = await fetch(`${base}${path}`, {
    method,
    headers: { "content-type": "application/json", ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(600_000),
  });
  const text = await r.text();
  let parsed = text;
  try {
    parsed = JSON.parse(text);
  } catch {}
  return { status: r.status, body: parsed };
}

/** A fixed number of requests (`amount`) or a fixed time, latencies over every response. */
function run(autocannon, { url, connections, amount, duration, method = "GET", headers = {}, setupRequest }) {
  return new Promise((resolve, reject) => {
    const latencies = [];
    const statuses = {};
    const instance = autocannon(
      { url, connections, ...(amount ? { amount } : { duration }), timeout: 60, requests: [{ method, headers, setupRequest }] },
      (err, r) => {
        if (err) return reject(err);
        latencies.sort((a, b) => a - b);
        resolve({
          requests: latencies.length,
          seconds: r.duration,
          ok: r["2xx"],
          rps: r["2xx"] / r.duration,
          non2xx: r.non2xx + r.errors + r.timeouts,
          statuses,
          p50: pct(latencies, 50),
          p95: pct(latencies, 95),
          p99: pct(latencies, 99),
        });
      },
    );
    instance.on("response", (_c, status, _b, ms) => {
      latencies.push(ms);
      statuses[status] = (statuses[status] ?? 0) + 1;
    });
  });
}

export async function runContacts({
  autocannon,
  base,
  noopBase,
  platformKey,
  workspaceId,
  token,
  appSecret,
  count,
  connections,
  purgeMessages,
  seconds,
  log,
}) {
  const auth = { authorization: `Token ${token}` };
  const platform = { authorization: `Bearer ${platformKey}` };
  const must = (r, status, what) => {
    if (r.status !== status) throw new Error(`${what}: HTTP ${r.status} ${JSON.stringify(r.body).slice(0, 300)}`);
    return r.body;
  };
  const inbox = must(
    await call(base, `/platform/v1/workspaces/${workspaceId}/inboxes`, {
      method: "POST",
      headers: platform,
      body: { name: "Bench contacts", provider: "sandbox", phone_number: CHANNEL, config: { app_secret: appSecret } },
    }),
    201,
    "inbox",
  );
  const key = must(
    await call(base, `/platform/v1/workspaces/${workspaceId}/api_keys`, { method: "POST", headers: platform, body: { name: "Bench" } }),
    201,
    "api key",
  );
  for (const field of [
    { label: "Nick", value_type: "text", identifier: true },
    { label: "Score", value_type: "numeric" },
  ]) {
    must(await call(base, "/api/v2/fields.json", { method: "POST", headers: auth, body: field }), 201, `field ${field.label}`);
  }
  const group = must(await call(base, "/api/v2/groups.json", { method: "POST", headers: auth, body: { name: "Import" } }), 201, "group");

  const importBody = (k) => JSON.stringify({ name: `Contact ${k}`, fields: { nick: `nick-${k}`, score: k % 1000 }, groups: ["Import"] });
  const importRun = (label) => {
    let k = 0;
    log(`- contacts: ${label}: ${count.toLocaleString("en")} × POST /api/v2/contacts.json?urn=whatsapp:… at ${connections} connections`);
    return run(autocannon, {
      url: base,
      connections,
      amount: count,
      method: "POST",
      headers: { "content-type": "application/json", ...auth },
      setupRequest(req) {
        const n = k++;
        return { ...req, path: `/api/v2/contacts.json?urn=whatsapp%3A${number(n)}`, body: importBody(n) };
      },
    });
  };
  log(`- contacts: no-op Worker, ${seconds}s POSTs at ${connections} connections`);
  const noop = await run(autocannon, {
    url: noopBase,
    connections,
    duration: seconds,
    method: "POST",
    headers: { "content-type": "application/json" },
    setupRequest: (req) => ({ ...req, path: "/", body: importBody(1) }),
  });
  const created = await importRun("import (creates)");
  const updated = await importRun("import again (updates)");
  const counted = must(await call(base, `/api/v2/groups.json?uuid=${group.uuid}`, { headers: auth }), 200, "group").results[0].count;
  let sampleMisses = 0;
  for (let i = 0; i < 100; i++) {
    const k = Math.floor((i * count) / 100);
    const found = await call(base, `/api/v2/contacts.json?urn=whatsapp%3A${number(k)}`, { headers: auth });
    if (found.body?.results?.length !== 1 || found.body.results[0].name !== `Contact ${k}`) sampleMisses++;
  }
  log(`  group count ${counted} (expected ${count}); ${100 - sampleMisses}/100 sampled lookups find their contact once`);

  // Page 40 by following `next`, as a client does.
  let page40 = "/api/v2/contacts.json";
  for (let i = 1; i < 40 && page40; i++) {
    const next = must(await call(base, page40, { headers: auth }), 200, `page ${i}`).next;
    page40 = next ? new URL(next).pathname + new URL(next).search : null;
  }
  // A chat for the person view: the first imported contact writes in.
  const signed = (body) => ({
    "content-type": "application/json",
    "x-hub-signature-256": `sha256=${createHmac("sha256", appSecret).update(body).digest("hex")}`,
  });
  const inbound = (waId, id, text) =>
    JSON.stringify({
      object: "whatsapp_business_account",
      entry: [
        {
          id: "WABA",
          changes: [
            {
              field: "messages",
              value: {
                messaging_product: "whatsapp",
                metadata: { phone_number_id: "PNID" },
                contacts: [{ profile: { name: "Bench" }, wa_id: waId }],
                messages: [{ from: waId, id, timestamp: String(Math.floor(Date.now() / 1000)), type: "text", text: { body: text } }],
              },
            },
          ],
        },
      ],
    });
  const personWaId = number(0);
  const hello = inbound(personWaId, `wamid.bench.person.${Date.now()}`, "hello");
  must(
    await fetch(`${base}/webhooks/whatsapp/${inbox.id}`, { method: "POST", headers: signed(hello), body: hello }).then((r) => ({
      status: r.status,
      body: null,
    })),
    200,
    "inbound",
  );

  let phoneK = 0;
  let identifierK = 0;
  const seed003 = (extra) => ({ channel: "whatsapp", channel_phone_number: CHANNEL, ...extra });
  const reads = [
    { name: "v2 lookup by urn", path: () => `/api/v2/contacts.json?urn=whatsapp%3A${number((phoneK++ * 7919) % count)}`, target: 25 },
    { name: "v2 first page", path: () => "/api/v2/contacts.json", target: 50 },
    { name: "v2 page 40", path: () => page40, target: 50 },
    { name: `v2 groups (one of ${count.toLocaleString("en-US")} members)`, path: () => "/api/v2/groups.json", target: 25 },
    {
      name: "seed 003 find by phone",
      method: "POST",
      path: () => "/api/public/customer/upsert/info",
      headers: { "x-api-key": key.key },
      body: () => seed003({ contact_phone_number: `+${number((phoneK++ * 7919) % count)}` }),
      target: 25,
    },
    {
      name: "seed 003 find by identifier",
      method: "POST",
      path: () => "/api/public/customer/upsert/info",
      headers: { "x-api-key": key.key },
      // A number nobody has, and the identifier value of an imported contact (which gains that number).
      body: () => {
        const k = identifierK++ % count;
        return seed003({ contact_phone_number: `+${String(17770000000 + k)}`, custom_field_values: [{ key: "nick", value: `nick-${k}` }] });
      },
      target: 25,
    },
    {
      name: "Polser upsert (existing)",
      method: "POST",
      path: () => new URL(key.contact_webhook_url).pathname,
      body: () => ({ contact: { phone: `+${number((phoneK++ * 7919) % count)}`, name: "Renamed", labels: "Import" } }),
      target: 25,
    },
    { name: "persons/{wa_id}", path: () => `/inboxes/${inbox.id}/api/v1/persons/${personWaId}/`, target: 25 },
  ];
  const measured = {};
  for (const r of reads) {
    if (!r.path()) continue;
    const probe = await call(base, r.path(), { method: r.method, headers: { ...auth, ...r.headers }, body: r.body?.() });
    if (probe.status >= 300) throw new Error(`${r.name}: HTTP ${probe.status} ${JSON.stringify(probe.body).slice(0, 300)}`);
    log(`- contacts: ${r.name}, ${seconds}s at 1 connection`);
    measured[r.name] = {
      ...(await run(autocannon, {
        url: base,
        connections: 1,
        duration: seconds,
        method: r.method ?? "GET",
        headers: { "content-type": "application/json", ...auth, ...r.headers },
        setupRequest: (req) => ({ ...req, path: r.path(), ...(r.body ? { body: JSON.stringify(r.body()) } : {}) }),
      })),
      target: r.target,
    };
  }

  // The hard delete of a contact whose chat holds `purgeMessages` messages.
  const victim = "15569999999";
  log(`- contacts: ${purgeMessages.toLocaleString("en")} messages into one chat for delete_contact`);
  let sent = 0;
  await run(autocannon, {
    url: base,
    connections: 10,
    amount: Math.ceil(purgeMessages / 10),
    method: "POST",
    headers: { "content-type": "application/json" },
    setupRequest(req) {
      const ts = String(Math.floor(Date.now() / 1000));
      const messages = Array.from({ length: 10 }, () => ({
        from: victim,
        id: `wamid.bench.purge.${sent++}`,
        timestamp: ts,
        type: "text",
        text: { body: "purge me" },
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
      return { ...req, path: `/webhooks/whatsapp/${inbox.id}`, body, headers: { ...req.headers, ...signed(body) } };
    },
  });
  const t0 = performance.now();
  const deleted = await call(base, new URL(key.contact_webhook_url).pathname, { method: "POST", body: { delete_contact: `+${victim}` } });
  const deleteMs = performance.now() - t0;
  const left = await call(base, `/inboxes/${inbox.id}/api/v1/messages/?wa_id=${victim}&limit=1`, { headers: auth });
  log(`  delete_contact: ${deleteMs.toFixed(0)} ms, ${JSON.stringify(deleted.body)}; messages left: ${left.body?.count ?? "?"}`);

  return {
    count,
    connections,
    noop: { rps: noop.rps, p50: noop.p50 },
    import: { created, updated, ratioToNoop: created.rps / noop.rps, updateRatioToNoop: updated.rps / noop.rps },
    groupCount: counted,
    sampleMisses,
    reads: measured,
    purge: { messages: purgeMessages, answerMs: deleteMs, deleted: deleted.body, left: left.body?.count ?? null, status: deleted.status },
  };
}
