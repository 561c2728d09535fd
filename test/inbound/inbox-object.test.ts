import { evictDurableObject, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { callJson } from "../helpers/api";
import { createUser, createWorkspace, inboxShard } from "../helpers/factories";
import { APP_SECRET, cloudEnvelope, postWebhook, textMessage, VERIFY_TOKEN } from "../helpers/whatsapp";
import { createWebhook, eventually, subscriber } from "../webhooks/support";

const sandbox = () => createWorkspace({ config: { app_secret: APP_SECRET, verify_token: VERIFY_TOKEN } });
const rows = async (inboxId: string) =>
  (
    await (
      await inboxShard(inboxId)
    )
      .prepare("SELECT wamid, seq FROM messages WHERE inbox_id = ? ORDER BY seq")
      .bind(inboxId)
      .all<{ wamid: string; seq: number }>()
  ).results;

/** The inbox's one chat's message counter. */
const messageCount = async (ws: { shard: D1Database; inboxId: string }) =>
  (await ws.shard.prepare("SELECT message_count FROM chats WHERE inbox_id = ?").bind(ws.inboxId).first<{ message_count: number }>())
    ?.message_count;

describe("the inbox object", () => {
  it("keeps its sequence and dedupe across eviction", async () => {
    const ws = await sandbox();
    const a = textMessage("4915100000001", "one");
    await postWebhook(ws.inboxId, cloudEnvelope({ messages: [a] }));
    const stub = env.INBOX.get(env.INBOX.idFromName(ws.inboxId));
    await evictDurableObject(stub);
    const b = textMessage("4915100000001", "two");
    const res = await postWebhook(ws.inboxId, cloudEnvelope({ messages: [a, b] }));
    expect(await res.json()).toEqual({ stored: 1, duplicates: 1, invalid: 0 });
    // Numbers come in reserved blocks: after an eviction the next one starts past the old block (order kept, gaps allowed;
    // the redelivered `a` took one too before D1 said it had it).
    const [first, second] = await rows(ws.inboxId);
    expect(first).toEqual({ wamid: a.id, seq: 1 });
    expect(second?.wamid).toBe(b.id);
    expect(second?.seq).toBeGreaterThan(64);
  });

  it("answers 503 when the directory's contact links fail beside a stored shard write, and the retry counts the message once", async () => {
    const ws = await sandbox();
    expect(ws.shard).not.toBe(env.DB);
    const m = textMessage("4915100000013", "half written");
    await env.DB.exec("ALTER TABLE contact_urns RENAME TO contact_urns_away");
    const failed = await postWebhook(ws.inboxId, cloudEnvelope({ messages: [m] }));
    await env.DB.exec("ALTER TABLE contact_urns_away RENAME TO contact_urns");
    expect(failed.status).toBe(503);
    const retried = await postWebhook(ws.inboxId, cloudEnvelope({ messages: [m] }));
    expect(retried.status).toBe(200);
    expect(await rows(ws.inboxId)).toEqual([{ wamid: m.id, seq: 1 }]);
    expect(await messageCount(ws)).toBe(1);
    const linked = await env.DB.prepare("SELECT count(*) AS n FROM contact_urns WHERE workspace_id = ? AND identity = ?")
      .bind(ws.id, "whatsapp:4915100000013")
      .first<{ n: number }>();
    expect(linked?.n).toBe(1);
  });

  it("answers 503 when D1 fails, then stores the provider's retry once with the sequence it claimed", async () => {
    const ws = await sandbox();
    const m = textMessage("4915100000003", "retry me");
    await ws.shard.exec("ALTER TABLE messages_fts RENAME TO messages_fts_away");
    const failed = await postWebhook(
      ws.inboxId,
      cloudEnvelope({ messages: [m], statuses: [{ id: m.id, status: "delivered", timestamp: "1700000000" }] }),
    );
    await ws.shard.exec("ALTER TABLE messages_fts_away RENAME TO messages_fts");
    expect(failed.status).toBe(503);
    expect(failed.headers.get("retry-after")).toBe("5");
    expect(await rows(ws.inboxId)).toEqual([]);
    const retried = await postWebhook(ws.inboxId, cloudEnvelope({ messages: [m] }));
    expect(await retried.json()).toEqual({ stored: 1, duplicates: 0, invalid: 0 });
    expect(await rows(ws.inboxId)).toEqual([{ wamid: m.id, seq: 1 }]);
    const stored = await ws.shard.prepare("SELECT statuses FROM messages WHERE wamid = ?").bind(m.id).first<{ statuses: string }>();
    expect(JSON.parse(stored!.statuses)).toEqual({ delivered: 1700000000 });
  });

  it("dedupes repeats in flight itself and redeliveries by D1's key, writing nothing of an inbound message to its own storage", async () => {
    const ws = await sandbox();
    const m = textMessage("4915100000004", "ledger");
    expect(await (await postWebhook(ws.inboxId, cloudEnvelope({ messages: [m, m, m] }))).json()).toEqual({
      stored: 1,
      duplicates: 2,
      invalid: 0,
    });
    const again = await Promise.all([1, 2].map(() => postWebhook(ws.inboxId, cloudEnvelope({ messages: [m] }))));
    expect(await Promise.all(again.map((r) => r.json()))).toEqual(Array(2).fill({ stored: 0, duplicates: 1, invalid: 0 }));
    expect(await rows(ws.inboxId)).toEqual([{ wamid: m.id, seq: 1 }]);
    const stub = env.INBOX.get(env.INBOX.idFromName(ws.inboxId));
    const seen = await runInDurableObject(stub, (_o, state) => state.storage.sql.exec("SELECT wamid FROM seen").toArray());
    expect(seen).toEqual([]);
  });
});

describe("the outbox", () => {
  it("writes a row whose D1 write failed by alarm, even if the provider never redelivers", async () => {
    const ws = await sandbox();
    const m = textMessage("4915100000005", "outbox me");
    await ws.shard.exec("ALTER TABLE messages_fts RENAME TO messages_fts_away");
    const failed = await postWebhook(ws.inboxId, cloudEnvelope({ messages: [m] }));
    await ws.shard.exec("ALTER TABLE messages_fts_away RENAME TO messages_fts");
    expect(failed.status).toBe(503);
    const stub = env.INBOX.get(env.INBOX.idFromName(ws.inboxId));
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    expect(await rows(ws.inboxId)).toEqual([{ wamid: m.id, seq: 1 }]);
    const left = await runInDurableObject(stub, (_o, state) => state.storage.sql.exec("SELECT count(*) AS n FROM outbox").one());
    expect(left).toEqual({ n: 0 });
  });

  it("answers 201 for a sent message whose record could not be written, and records it by alarm", async () => {
    const ws = await sandbox();
    const admin = await createUser(ws, "admin");
    await postWebhook(ws.inboxId, cloudEnvelope({ messages: [textMessage("4915100000006", "hi")] }));
    await ws.shard.exec("ALTER TABLE messages_fts RENAME TO messages_fts_away");
    const sent = await callJson(`${ws.prefix}/messages/`, {
      token: admin.token,
      body: { wa_id: "4915100000006", text: { body: "sent anyway" } },
    });
    await ws.shard.exec("ALTER TABLE messages_fts_away RENAME TO messages_fts");
    expect(sent.status).toBe(201);
    const id = sent.body.waba_response.messages[0].id;
    expect((await rows(ws.inboxId)).map((r) => r.wamid)).not.toContain(id);
    await runDurableObjectAlarm(env.INBOX.get(env.INBOX.idFromName(ws.inboxId)));
    expect((await rows(ws.inboxId)).map((r) => r.wamid)).toContain(id);
  });

  it("keeps a status that arrives while its message waits in the outbox, and applies it with the message", async () => {
    const ws = await sandbox();
    const m = textMessage("4915100000007", "late status");
    await ws.shard.exec("ALTER TABLE messages_fts RENAME TO messages_fts_away");
    expect((await postWebhook(ws.inboxId, cloudEnvelope({ messages: [m] }))).status).toBe(503);
    await ws.shard.exec("ALTER TABLE messages_fts_away RENAME TO messages_fts");
    // The message is claimed but not in D1; a status for it must not be applied to nothing.
    expect(
      (await postWebhook(ws.inboxId, cloudEnvelope({ statuses: [{ id: m.id, status: "read", timestamp: "1700000500" }] }))).status,
    ).toBe(200);
    await runDurableObjectAlarm(env.INBOX.get(env.INBOX.idFromName(ws.inboxId)));
    const stored = await ws.shard.prepare("SELECT statuses FROM messages WHERE wamid = ?").bind(m.id).first<{ statuses: string }>();
    expect(JSON.parse(stored!.statuses)).toEqual({ read: 1700000500 });
  });

  it("drops statuses held a week for ids it never stored", async () => {
    const ws = await sandbox();
    await postWebhook(ws.inboxId, cloudEnvelope({ statuses: [{ id: "wamid.never", status: "delivered", timestamp: "1700000000" }] }));
    const stub = env.INBOX.get(env.INBOX.idFromName(ws.inboxId));
    const held = () =>
      runInDurableObject(stub, (_o, state) => state.storage.sql.exec("SELECT count(*) AS n FROM pending_statuses").one().n);
    expect(await held()).toBe(1);
    await runInDurableObject(stub, (_o, state) => state.storage.sql.exec("UPDATE pending_statuses SET held_at = held_at - 8 * 86400000"));
    await runDurableObjectAlarm(stub);
    expect(await held()).toBe(0);
  });

  it("writes the rest around a row D1 keeps refusing, and sets that row aside after its last attempt", async () => {
    const ws = await sandbox();
    const good = textMessage("4915100000008", "fine");
    await ws.shard.exec("ALTER TABLE messages_fts RENAME TO messages_fts_away");
    expect((await postWebhook(ws.inboxId, cloudEnvelope({ messages: [good] }))).status).toBe(503);
    await ws.shard.exec("ALTER TABLE messages_fts_away RENAME TO messages_fts");
    const stub = env.INBOX.get(env.INBOX.idFromName(ws.inboxId));
    // A poisoned row (NOT NULL type) beside the good one, on its last attempt.
    await runInDurableObject(stub, (_o, state) => {
      const poison = {
        ...JSON.parse(state.storage.sql.exec<{ row: string }>("SELECT row FROM outbox").one().row),
        wamid: "wamid.poison",
        type: null,
        seq: 99,
      };
      state.storage.sql.exec("INSERT INTO seen (wamid, seq, stored) VALUES ('wamid.poison', 99, 0)");
      state.storage.sql.exec("INSERT INTO outbox (wamid, row, attempts) VALUES ('wamid.poison', ?, 49)", JSON.stringify(poison));
    });
    await runDurableObjectAlarm(stub);
    expect((await rows(ws.inboxId)).map((r) => r.wamid)).toEqual([good.id]);
    const left = await runInDurableObject(stub, (_o, state) => ({
      outbox: state.storage.sql.exec("SELECT count(*) AS n FROM outbox").one().n,
      dead: state.storage.sql.exec("SELECT wamid FROM outbox_dead").toArray(),
    }));
    expect(left).toEqual({ outbox: 0, dead: [{ wamid: "wamid.poison" }] });
  });
  it("acknowledges a redelivery that meets the alarm rewriting its row only if that rewrite lands", async () => {
    const ws = await sandbox();
    const m = textMessage("4915100000031", "rewrite");
    await ws.shard.exec("ALTER TABLE messages_fts RENAME TO messages_fts_off");
    try {
      expect((await postWebhook(ws.inboxId, cloudEnvelope({ messages: [m] }))).status).toBe(503);
      const stub = env.INBOX.get(env.INBOX.idFromName(ws.inboxId));
      const [, redelivery] = await Promise.all([runDurableObjectAlarm(stub), postWebhook(ws.inboxId, cloudEnvelope({ messages: [m] }))]);
      expect(redelivery.status).toBe(503);
    } finally {
      await ws.shard.exec("ALTER TABLE messages_fts_off RENAME TO messages_fts");
    }
    const stored = await postWebhook(ws.inboxId, cloudEnvelope({ messages: [m] }));
    expect(stored.status).toBe(200);
    expect(await rows(ws.inboxId)).toEqual([{ wamid: m.id, seq: 1 }]);
  });

  it("copies no inbound message into the outbox, its event log or its dedupe table", async () => {
    const ws = await sandbox();
    const burst = Array.from({ length: 9 }, (_, i) => textMessage(`49151000001${i}`, `burst ${i}`));
    const answers = await Promise.all(burst.map((m) => postWebhook(ws.inboxId, cloudEnvelope({ messages: [m] }))));
    expect(answers.map((r) => r.status)).toEqual(Array(9).fill(200));
    const stub = env.INBOX.get(env.INBOX.idFromName(ws.inboxId));
    const count = (query: string) =>
      runInDurableObject(stub, (_o, state) => state.storage.sql.exec<{ n: number }>(`SELECT count(*) AS n FROM ${query}`).one().n);
    expect(await count("outbox")).toBe(0);
    expect(await count("events")).toBe(0);
    expect(await count("seen")).toBe(0);
    expect(await rows(ws.inboxId)).toHaveLength(9);
  });

  it("sends a redelivered message's event again under the same id, so a restart between D1 and the queue loses none, and delivers it once", async () => {
    const ws = await sandbox();
    const app = await createUser(ws, "app");
    const sub = subscriber();
    await createWebhook(ws, app, { url: sub.url });
    const m = textMessage("4915100000034", "stored, then a restart");
    await postWebhook(ws.inboxId, cloudEnvelope({ messages: [m] }));
    await eventually(() => expect(sub.received).toHaveLength(1));
    // As if the object died after D1 had the message, before the queue had its event: the provider redelivers.
    const stub = env.INBOX.get(env.INBOX.idFromName(ws.inboxId));
    await evictDurableObject(stub);
    const redelivered = await postWebhook(ws.inboxId, cloudEnvelope({ messages: [m] }));
    expect(await redelivered.json()).toEqual({ stored: 0, duplicates: 1, invalid: 0 });
    // D1's write is idempotent: the row keeps its first number, the chat counts it once.
    expect(await rows(ws.inboxId)).toEqual([{ wamid: m.id, seq: 1 }]);
    expect(await messageCount(ws)).toBe(1);
    // The event came again with the same id: fan-out finds its delivery made, and sends nothing twice.
    const events = await eventually(async () => {
      const rows = await env.DB.prepare("SELECT event_id FROM deliveries WHERE inbox_id = ?").bind(ws.inboxId).all<{ event_id: string }>();
      expect(rows.results).toHaveLength(1);
      return rows.results;
    });
    expect(events[0]?.event_id).toBe(sub.received[0]?.id);
    await new Promise((r) => setTimeout(r, 500));
    expect(sub.received).toHaveLength(1);
  });

  it("keeps a message's event for the alarm when the queue refuses it, and sends it then", async () => {
    const ws = await sandbox();
    const app = await createUser(ws, "app");
    const sub = subscriber();
    await createWebhook(ws, app, { url: sub.url });
    const stub = env.INBOX.get(env.INBOX.idFromName(ws.inboxId));
    await runInDurableObject(stub, (instance) => {
      const o = instance as unknown as { env: Env };
      o.env = { ...o.env, WEBHOOKS: { sendBatch: () => Promise.reject(new Error("queue down")) } as unknown as Queue };
    });
    const m = textMessage("4915100000035", "queue down");
    const res = await postWebhook(ws.inboxId, cloudEnvelope({ messages: [m] }));
    expect(res.status).toBe(200);
    const events = () =>
      runInDurableObject(stub, (_o, state) =>
        state.storage.sql.exec<{ type: string; refs: string; state: number }>("SELECT type, refs, state FROM events").toArray(),
      );
    expect(await events()).toEqual([{ type: "message.in", refs: JSON.stringify({ wamid: m.id, wa_id: "4915100000035" }), state: 1 }]);
    await runInDurableObject(stub, (instance) => {
      const o = instance as unknown as { env: Env };
      o.env = { ...o.env, WEBHOOKS: env.WEBHOOKS };
    });
    await runDurableObjectAlarm(stub);
    expect((await events()).map((e) => e.state)).toEqual([2]);
    await eventually(() => expect(sub.received.map((r) => r.body.messages?.[0]?.id)).toEqual([m.id]));
  });
});
