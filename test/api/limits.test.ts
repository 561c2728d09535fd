import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { MAX_DEPTH } from "../../src/http/json";
import { call, callJson } from "../helpers/api";
import { createUser, createWorkspace, inboxShard } from "../helpers/factories";
import { APP_SECRET, cloudEnvelope, contact, postWebhook, sign, textMessage, VERIFY_TOKEN } from "../helpers/whatsapp";

/** Arrays nested `n` deep, as text (20,000 levels overflow JSON.stringify). */
const deepText = (n: number) => "[".repeat(n) + "]".repeat(n);
/** The deepest value an item may carry at `levelsAbove` levels below its top. */
const deepest = (levelsAbove: number) => JSON.parse(deepText(MAX_DEPTH - levelsAbove));
const sandbox = () => createWorkspace({ config: { app_secret: APP_SECRET, verify_token: VERIFY_TOKEN } });
const DEPTH_ERROR = { detail: `JSON parse error - the document is nested deeper than ${MAX_DEPTH} levels (the limit).` };

async function postRaw(inboxId: string, body: string) {
  return call(`/webhooks/whatsapp/${inboxId}`, {
    method: "POST",
    raw: body,
    headers: { "content-type": "application/json", "x-hub-signature-256": await sign(body) },
  });
}
const providerEvents = async (inboxId: string) =>
  (
    await (
      await inboxShard(inboxId)
    )
      .prepare("SELECT kind, name, payload, body_key FROM provider_events WHERE inbox_id = ? ORDER BY id")
      .bind(inboxId)
      .all<{ kind: string; name: string; payload: string | null; body_key: string | null }>()
  ).results;
const wamids = async (inboxId: string) =>
  (
    await (
      await inboxShard(inboxId)
    )
      .prepare("SELECT wamid FROM messages WHERE inbox_id = ? ORDER BY seq")
      .bind(inboxId)
      .all<{ wamid: string }>()
  ).results.map((r) => r.wamid);

describe("JSON limits on the API", () => {
  const places = [
    (d: string) => `{"wa_id":"4915100000001","type":"contacts","contacts":[{"name":{"formatted_name":"x"},"fz":${d}}]}`,
    (d: string) => `{"wa_id":"4915100000001","type":"contacts","contacts":[{"name":{"formatted_name":"x","fz":${d}}}]}`,
    (d: string) => `{"wa_id":"4915100000001","type":"interactive","interactive":{"type":"button","action":{"fz":${d}}}}`,
    (d: string) =>
      `{"wa_id":"4915100000001","type":"interactive","interactive":{"type":"button","action":{},"body":{"text":"x","fz":${d}}}}`,
    (d: string) => `{"wa_id":"4915100000001","type":"template","template":{"name":"t","language":{"code":"en","fz":${d}}}}`,
    (d: string) =>
      `{"wa_id":"4915100000001","type":"template","template":{"name":"t","language":{"code":"en"},"components":[{"fz":${d}}]}}`,
    (d: string) => `{"wa_id":"4915100000001","text":{"body":"x"},"fz":${d}}`,
  ];

  it("refuses any body nested beyond the limit with a 400 naming it, and stores nothing", async () => {
    const ws = await sandbox();
    const admin = await createUser(ws, "admin");
    await postWebhook(ws.inboxId, cloudEnvelope({ messages: [textMessage("4915100000001", "hi")] }));
    for (const place of places) {
      const res = await callJson(`${ws.prefix}/messages/`, {
        raw: place(deepText(20_000)),
        token: admin.token,
        headers: { "content-type": "application/json" },
      });
      expect(res.status, place("…")).toBe(400);
      expect(res.body).toEqual(DEPTH_ERROR);
    }
    expect(await wamids(ws.inboxId)).toHaveLength(1);
    const users = await callJson(`${ws.prefix}/users/`, {
      raw: `{"username":"x","profile":${deepText(MAX_DEPTH)}}`,
      token: admin.token,
      headers: { "content-type": "application/json" },
    });
    expect(users.status).toBe(400);
    expect(users.body).toEqual(DEPTH_ERROR);
  });

  it("refuses more than the value cap", async () => {
    const ws = await sandbox();
    const res = await callJson(`${ws.prefix}/auth/token/`, {
      raw: `{"username":"x","password":"y","n":[${"0,".repeat(100_000)}0]}`,
      headers: { "content-type": "application/json" },
    });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ detail: "JSON parse error - the document is more than 100000 values (the limit)." });
  });

  it("caps a too-large limit at the maximum, as DRF does, and keeps 400 for invalid ones", async () => {
    const ws = await sandbox();
    const admin = await createUser(ws, "admin");
    const res = await callJson(`${ws.prefix}/users/?limit=5000`, { token: admin.token });
    expect(res.status).toBe(200);
    expect(res.body.count).toBe(1);
    const many = await callJson(`${ws.prefix}/messages/?limit=5000&offset=0`, { token: admin.token });
    expect(many.status).toBe(200);
    const bad = await callJson(`${ws.prefix}/users/?limit=0`, { token: admin.token });
    expect(bad.status).toBe(400);
  });
});

describe("inbound webhooks beyond the limits", () => {
  it("keeps a too-deep item as unreadable (its bytes in R2) and stores every other item", async () => {
    const ws = await sandbox();
    const ok = textMessage("4915100000002", "fine");
    const deepContact = `{"wa_id":"4915100000003","profile":{"name":"x","fz":${deepText(20_000)}}}`;
    const deepStatus = `{"id":"${ok.id}","status":"failed","timestamp":"1700000000","errors":[{"code":1,"title":${deepText(20_000)}}]}`;
    const deepMessage = `{"from":"4915100000003","id":"wamid.deep","timestamp":"1700000000","type":"text","text":{"body":"x"},"fz":${deepText(5_000)}}`;
    const body = `{"object":"whatsapp_business_account","entry":[{"id":"W","changes":[{"field":"messages","value":{"metadata":{"phone_number_id":"PNID"},"contacts":[${deepContact},${JSON.stringify(contact("4915100000002", "Ann"))}],"messages":[${JSON.stringify(ok)},${deepMessage}],"statuses":[${deepStatus}]}}]}]}`;
    for (let delivery = 0; delivery < 2; delivery++) {
      const res = await postRaw(ws.inboxId, body);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ stored: delivery ? 0 : 1, duplicates: delivery, invalid: 3 });
    }
    expect(await wamids(ws.inboxId)).toEqual([ok.id]);
    const events = await providerEvents(ws.inboxId);
    expect(events.slice(0, 3).map((e) => [e.kind, e.name, e.payload])).toEqual([
      ["invalid", `contact is nested deeper than ${MAX_DEPTH} levels`, null],
      ["invalid", `message is nested deeper than ${MAX_DEPTH} levels`, null],
      ["invalid", `status is nested deeper than ${MAX_DEPTH} levels`, null],
    ]);
    const kept = await env.MEDIA.get(events[0]?.body_key as string);
    expect(await kept?.text()).toBe(body);
  });

  it("keeps an item too large for a row as unreadable instead of answering 503 forever", async () => {
    const ws = await sandbox();
    const big = textMessage("4915100000004", "x".repeat(2_400_000));
    const ok = textMessage("4915100000004", "small");
    const res = await postWebhook(ws.inboxId, cloudEnvelope({ messages: [big, ok] }));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ stored: 1, duplicates: 0, invalid: 1 });
    expect(await wamids(ws.inboxId)).toEqual([ok.id]);
    const [event] = await providerEvents(ws.inboxId);
    expect(event?.name).toBe("message is larger than 262144 characters");
    expect((await env.MEDIA.head(event?.body_key as string))?.size).toBeGreaterThan(2_400_000);
  });

  it("never claims a row set aside again: its redelivery is a duplicate", async () => {
    const ws = await sandbox();
    const m = textMessage("4915100000005", "refused");
    await ws.shard.exec("ALTER TABLE messages_fts RENAME TO messages_fts_gone");
    try {
      expect((await postWebhook(ws.inboxId, cloudEnvelope({ messages: [m] }))).status).toBe(503);
      const stub = env.INBOX.get(env.INBOX.idFromName(ws.inboxId));
      for (let i = 0; i < 50; i++) await runDurableObjectAlarm(stub);
      const dead = await runInDurableObject(stub, (_o, state) => state.storage.sql.exec("SELECT wamid FROM outbox_dead").toArray());
      expect(dead).toEqual([{ wamid: m.id }]);
      const again = await postWebhook(ws.inboxId, cloudEnvelope({ messages: [m] }));
      expect(again.status).toBe(200);
      expect(await again.json()).toEqual({ stored: 0, duplicates: 1, invalid: 0 });
    } finally {
      await ws.shard.exec("ALTER TABLE messages_fts_gone RENAME TO messages_fts");
    }
  });
});

describe("nothing stored can break a read", () => {
  it("reads every list and detail after the deepest and largest accepted values went in through every write path", async () => {
    const ws = await sandbox();
    const admin = await createUser(ws, "admin");
    const waId = "4915100000006";
    const inbound = { ...textMessage(waId, "y".repeat(4096)), fz: deepest(1), text: { body: "deep", fz: deepest(2) } };
    const big = { ...textMessage(waId, "z"), pad: "p".repeat(250_000) };
    const status = { id: inbound.id, status: "failed", timestamp: "1700000000", errors: [{ code: 1, title: deepest(3) }] };
    const profile = { wa_id: waId, profile: { name: "Deep", fz: deepest(2) }, fz: deepest(1) };
    const res = await postWebhook(ws.inboxId, cloudEnvelope({ contacts: [profile], messages: [inbound, big], statuses: [status] }));
    expect(await res.json()).toEqual({ stored: 2, duplicates: 0, invalid: 0 });
    const sent = await call(`${ws.prefix}/messages/`, {
      raw: JSON.stringify({ wa_id: waId, text: { body: "out" }, fz: deepest(1) }),
      token: admin.token,
      headers: { "content-type": "application/json" },
    });
    expect(sent.status).toBe(201);
    const reads = [
      "/messages/?limit=1000",
      `/messages/${waId}/`,
      "/messages/?search=deep",
      "/chats/",
      `/chats/${waId}/`,
      "/persons/",
      `/persons/${waId}/`,
      "/users/",
    ];
    for (const path of reads) {
      const read = await callJson(`${ws.prefix}${path}`, { token: admin.token });
      expect(read.status, path).toBe(200);
    }
  });
});

describe("addressing", () => {
  it("answers a host that is neither an API host nor mapped to an inbox like a missing inbox", async () => {
    const ws = await sandbox();
    const admin = await createUser(ws, "admin");
    const stray = await callJson("http://stray.example/api/v1/users/current/", { token: admin.token });
    const missing = await callJson(`/inboxes/${crypto.randomUUID()}/api/v1/users/current/`, { token: admin.token });
    expect(stray.status).toBe(404);
    expect(stray.body).toEqual(missing.body);
    expect((await callJson("http://stray.example/login/")).status).toBe(404);
    expect((await callJson("http://switchboard.test/api/v1/")).status).toBe(200);
  });
});
