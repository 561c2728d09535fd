import { env } from "cloudflare:test";
import { HttpResponse } from "msw";
import { Webhook as Verifier } from "standardwebhooks";
import { beforeAll, describe, expect, it } from "vitest";
import { encryptJson } from "../../src/services/secrets";
import { callJson } from "../helpers/api";
import { createUser, createWorkspace, type TestUser, type TestWorkspace } from "../helpers/factories";
import { APP_SECRET, cloudEnvelope, contact, newWaId, postWebhook, textMessage } from "../helpers/whatsapp";
import { createWebhook, eventually, subscriber } from "./support";

let ws: TestWorkspace;
let admin: TestUser;
beforeAll(async () => {
  ws = await createWorkspace({ config: { app_secret: APP_SECRET } });
  admin = await createUser(ws, "admin");
});

describe("webhook delivery", () => {
  it("delivers an inbound message once, signed per Standard Webhooks, in the seed's shape, and marks it received", async () => {
    const app = await createUser(ws, "app");
    const sub = subscriber();
    const hook = await createWebhook(ws, app, { url: sub.url });
    const waId = newWaId();
    const message = textMessage(waId, "Hello from WhatsApp");
    expect((await postWebhook(ws.inboxId, cloudEnvelope({ contacts: [contact(waId, "Konrad Tester")], messages: [message] }))).status).toBe(
      200,
    );

    await eventually(() => expect(sub.received.length).toBe(1));
    const [got] = sub.received;
    expect(Object.keys(got!.body).sort()).toEqual(["contacts", "incoming_messages", "messages"]);
    expect(got!.body.messages).toEqual([message]);
    expect(got!.body.contacts).toEqual([contact(waId, "Konrad Tester")]);
    expect(got!.body.incoming_messages).toHaveLength(1);
    expect(got!.body.incoming_messages[0]).toMatchObject({
      id: message.id,
      waba_payload: message,
      from_us: false,
      received: false,
      customer_wa_id: waId,
      contact: { wa_id: waId, initials: "KT" },
      tags: [],
    });
    // The package every Standard Webhooks receiver uses accepts the signature.
    const verified = new Verifier(hook.secret).verify(got!.raw, {
      "webhook-id": got!.id,
      "webhook-timestamp": got!.timestamp,
      "webhook-signature": got!.signature,
    });
    expect(verified).toEqual(got!.body);

    const log = await callJson(`${ws.prefix}/webhooks/waba/${hook.id}/deliveries/`, { token: app.token });
    await eventually(async () => {
      const now = await callJson(`${ws.prefix}/webhooks/waba/${hook.id}/deliveries/`, { token: app.token });
      expect(now.body.results[0]).toMatchObject({ event_id: got!.id, event_type: "message.in", state: "delivered" });
    });
    expect(log.status).toBe(200);
    // Delivered over HTTP: received for the webhook's user.
    await eventually(async () => {
      const chat = await callJson(`${ws.prefix}/chats/${waId}/`, { token: app.token });
      expect(chat.body.new_messages).toBe(0);
    });
    const forAdmin = await callJson(`${ws.prefix}/chats/${waId}/`, { token: admin.token });
    expect(forAdmin.body.new_messages).toBe(1);
  });

  it("sends outgoing messages, raw statuses, taggings and assignments to whoever may read them, per their flags", async () => {
    const waId = newWaId();
    await postWebhook(ws.inboxId, cloudEnvelope({ contacts: [contact(waId, "Ana")], messages: [textMessage(waId, "hi")] }));
    const everything = subscriber();
    const outgoingOnly = subscriber();
    const agentSub = subscriber();
    const archiver = await createUser(ws, "app");
    const sender = await createUser(ws, "app");
    const agent = await createUser(ws, "user"); // reads chats of their groups only: not this one
    await createWebhook(ws, archiver, { url: everything.url });
    await createWebhook(ws, sender, { url: outgoingOnly.url, on_incoming_message: false, on_assigned: false });
    await createWebhook(ws, agent, { url: agentSub.url });

    const sent = await callJson(`${ws.prefix}/messages/`, {
      token: admin.token,
      body: { wa_id: waId, text: { body: "Hello! How may I help you?" } },
    });
    expect(sent.status).toBe(201);
    const sentId = sent.body.waba_response.messages[0].id;
    const outgoing = (r: { body: Record<string, any> }) => r.body.outgoing_messages?.[0]?.id === sentId;
    await eventually(() => {
      expect(everything.received.some(outgoing)).toBe(true);
      expect(outgoingOnly.received.some(outgoing)).toBe(true);
    });
    const out = everything.received.find(outgoing)!.body;
    expect(Object.keys(out)).toEqual(["outgoing_messages"]);
    expect(out.outgoing_messages[0]).toMatchObject({
      from_us: true,
      customer_wa_id: waId,
      sender: { id: admin.id, username: admin.username },
    });

    // The sandbox's statuses arrive as raw WhatsApp status objects, to `on_incoming_message` receivers only.
    await eventually(() => {
      const statuses = everything.received.flatMap((r) => r.body.statuses ?? []).filter((st: any) => st.id === sentId);
      expect(statuses.map((st: any) => st.status).sort()).toEqual(["delivered", "read", "sent"]);
      expect(statuses[0]).toEqual({ id: sentId, status: expect.any(String), timestamp: expect.stringMatching(/^\d+$/) });
    }, 20_000);
    expect(outgoingOnly.received.some((r) => r.body.statuses)).toBe(false);

    const tag = (await callJson(`${ws.prefix}/tags/`, { token: admin.token, body: { name: `VIP ${waId}` } })).body;
    expect(
      (await callJson(`${ws.prefix}/chat_tagging/`, { token: admin.token, body: { tag: tag.id, chat: waId, extra: { score: 3 } } })).status,
    ).toBe(201);
    await eventually(() => {
      for (const sub of [everything, outgoingOnly]) {
        expect(sub.received.find((r) => r.body.chat_tagging)?.body).toEqual({
          chat_tagging: {
            timestamp: expect.any(Number),
            action: "added",
            tag: { id: tag.id, name: tag.name, web_inbox_color: null },
            chat: waId,
            extra: { score: 3 },
            done_by: expect.objectContaining({ id: admin.id }),
          },
        });
      }
    });

    // Assigned to the agent: now they may read it, and their webhook is told, with the chat's messages they have not received.
    expect(
      (
        await callJson(`${ws.prefix}/chat_assignment/${waId}/`, {
          method: "PATCH",
          token: admin.token,
          body: { assigned_to_user: agent.id },
        })
      ).status,
    ).toBe(200);
    await eventually(() => expect(agentSub.received.some((r) => r.body.chat_assignment)).toBe(true));
    const assigned = agentSub.received.find((r) => r.body.chat_assignment)!.body;
    expect(assigned.chat_assignment).toMatchObject({
      wa_id: waId,
      assigned_to_user_set: { id: agent.id },
      assigned_group_set: null,
      done_by: { id: admin.id },
    });
    expect(assigned.assigned_messages.map((m: any) => m.waba_payload.text?.body)).toEqual(["Hello! How may I help you?", "hi"]);
    // Before the assignment the agent could read nothing of this chat.
    expect(agentSub.received.filter((r) => !r.body.chat_assignment)).toEqual([]);
  });

  it("never delivers one workspace's events to another workspace's webhooks", async () => {
    const other = await createWorkspace({ config: { app_secret: APP_SECRET } });
    const stranger = await createUser(other, "admin");
    const theirs = subscriber();
    await createWebhook(other, stranger, { url: theirs.url });
    const mine = subscriber();
    await createWebhook(ws, await createUser(ws, "app"), { url: mine.url });
    const waId = newWaId();
    await postWebhook(ws.inboxId, cloudEnvelope({ messages: [textMessage(waId, "private")] }));
    await eventually(() => expect(mine.received.some((r) => r.body.messages?.[0]?.from === waId)).toBe(true));
    await postWebhook(other.inboxId, cloudEnvelope({ messages: [textMessage(waId, "theirs")] }));
    await eventually(() => expect(theirs.received.length).toBe(1));
    expect(theirs.received[0]!.body.messages[0].text.body).toBe("theirs");
  });

  it("delivers a burst past what fan-out tries itself in its time: the rest are queued and sent too", async () => {
    // Half a second an answer, 20 at once: fan-out's two seconds of first attempts reach about 80 of them.
    const sub = subscriber(async () => {
      await new Promise((resolve) => setTimeout(resolve, 500));
      return new HttpResponse(null, { status: 200 });
    });
    const app = await createUser(ws, "app");
    const hook = await createWebhook(ws, app, { url: sub.url, on_assigned: false });
    const waId = newWaId();
    const start = Math.floor(Date.now() / 1000) - 200;
    const messages = Array.from({ length: 130 }, (_, i) => textMessage(waId, `burst ${i}`, start + i));
    for (let i = 0; i < 130; i += 50) {
      await Promise.all(
        Array.from({ length: 5 }, (_, j) =>
          postWebhook(ws.inboxId, cloudEnvelope({ messages: messages.slice(i + j * 10, i + j * 10 + 10) })),
        ),
      );
    }
    const got = () => new Set(sub.received.flatMap((r) => (r.body.messages ?? []).map((m: { id: string }) => m.id)));
    await eventually(() => expect(got().size).toBe(130), 30_000);
    // A delivery is logged once its answer came: half a second after the subscriber saw it.
    await eventually(async () => {
      const log = await callJson(`${ws.prefix}/webhooks/waba/${hook.id}/deliveries/?limit=200&state=delivered`, { token: app.token });
      expect(log.body.count).toBe(130);
    });
    // The marks of a batch's deliveries are written once per chat, at the newest: all received.
    await eventually(async () => {
      const chat = await callJson(`${ws.prefix}/chats/${waId}/`, { token: app.token });
      expect(chat.body.new_messages).toBe(0);
    });
    // The slow subscriber would slow every later test's fan-out on this inbox.
    expect((await callJson(`${ws.prefix}/webhooks/waba/${hook.id}/`, { method: "DELETE", token: app.token })).status).toBe(204);
  });

  it("delivers every event at least once to a subscriber failing half of the time, with a stable webhook-id and every attempt logged", async () => {
    // mulberry32: the same "random" half of failures on every run.
    let seed = 7;
    const coin = () => {
      seed = (seed + 0x6d2b79f5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) % 2 === 0;
    };
    const flaky = subscriber(() => new Response(null, { status: coin() ? 200 : 503 }));
    const app = await createUser(ws, "app");
    const hook = await createWebhook(ws, app, { url: flaky.url, on_assigned: false });
    const waId = newWaId();
    const messages = Array.from({ length: 12 }, (_, i) => textMessage(waId, `m${i}`));
    await postWebhook(ws.inboxId, cloudEnvelope({ messages }));

    const wamids = messages.map((m) => m.id);
    const deliveredIds = () => new Set(flaky.received.filter((r) => r.body.messages).map((r) => r.body.messages[0].id));
    await eventually(async () => {
      const log = await callJson(`${ws.prefix}/webhooks/waba/${hook.id}/deliveries/?limit=100`, { token: app.token });
      expect(log.body.results.filter((d: any) => d.event_type === "message.in").map((d: any) => d.state)).toEqual(
        Array(12).fill("delivered"),
      );
    }, 30_000);
    expect([...deliveredIds()].sort()).toEqual([...wamids].sort());
    // One webhook-id per event on every try; the log has one attempt per request the subscriber saw.
    const byEvent = new Map<string, Set<string>>();
    for (const r of flaky.received.filter((x) => x.body.messages))
      byEvent.set(r.body.messages[0].id, (byEvent.get(r.body.messages[0].id) ?? new Set()).add(r.id));
    expect([...byEvent.values()].every((ids) => ids.size === 1)).toBe(true);
    const log = await callJson(`${ws.prefix}/webhooks/waba/${hook.id}/deliveries/?limit=100`, { token: app.token });
    const attempts = log.body.results.reduce((sum: number, d: any) => sum + d.attempts.length, 0);
    expect(attempts).toBe(flaky.received.length);
    expect(flaky.received.length).toBeGreaterThan(12);
  });

  it("signs with the old secret too for a day after a rotation", async () => {
    const sub = subscriber();
    const app = await createUser(ws, "app");
    const hook = await createWebhook(ws, app, { url: sub.url });
    const rotated = (await callJson(`${ws.prefix}/webhooks/waba/${hook.id}/rotate_secret/`, { method: "POST", token: app.token })).body;
    await postWebhook(ws.inboxId, cloudEnvelope({ messages: [textMessage(newWaId(), "rotating")] }));
    await eventually(() => expect(sub.received.length).toBe(1));
    const got = sub.received[0]!;
    expect(got.signature.split(" ")).toHaveLength(2);
    const headers = { "webhook-id": got.id, "webhook-timestamp": got.timestamp, "webhook-signature": got.signature };
    for (const secret of [hook.secret, rotated.secret]) expect(new Verifier(secret).verify(got.raw, headers)).toEqual(got.body);
    expect(() => new Verifier(`whsec_${btoa("not the secret at all, no")}`).verify(got.raw, headers)).toThrow();
  });

  it("redelivers on request with the same webhook-id and body", async () => {
    const sub = subscriber();
    const app = await createUser(ws, "app");
    const hook = await createWebhook(ws, app, { url: sub.url });
    await postWebhook(ws.inboxId, cloudEnvelope({ messages: [textMessage(newWaId(), "again")] }));
    await eventually(() => expect(sub.received.length).toBe(1));
    // Logged once the answer came (and the rest of its fan-out batch's first attempts).
    const log = await eventually(async () => {
      const page = await callJson(`${ws.prefix}/webhooks/waba/${hook.id}/deliveries/?state=delivered`, { token: app.token });
      expect(page.body.results).toHaveLength(1);
      return page;
    });
    const again = await callJson(`${ws.prefix}/webhooks/waba/${hook.id}/deliveries/${log.body.results[0].id}/redeliver/`, {
      method: "POST",
      token: app.token,
    });
    expect(again).toMatchObject({ status: 202, body: { state: "pending" } });
    await eventually(() => expect(sub.received.length).toBe(2));
    expect(sub.received[1]!.id).toBe(sub.received[0]!.id);
    expect(sub.received[1]!.raw).toBe(sub.received[0]!.raw);
  });

  it("logs why it sends nothing while the signing secret is sealed under another SECRET_KEY, and sends after a rotation", async () => {
    const sub = subscriber();
    const app = await createUser(ws, "app");
    const hook = await createWebhook(ws, app, { url: sub.url });
    // As after SECRET_KEY changed: the stored secret was sealed with another key.
    const sealed = await encryptJson("another-secret-key-0123456789abcdef", { secret: hook.secret });
    await env.DB.prepare("UPDATE webhooks SET secret = ? WHERE id = ?").bind(sealed, hook.id).run();
    await postWebhook(ws.inboxId, cloudEnvelope({ messages: [textMessage(newWaId(), "sealed")] }));
    const failed = await eventually(async () => {
      const page = await callJson(`${ws.prefix}/webhooks/waba/${hook.id}/deliveries/`, { token: app.token });
      expect(page.body.results).toMatchObject([{ state: "failed" }]);
      return page.body.results[0];
    });
    expect(failed.attempts).toHaveLength(1);
    expect(failed.attempts[0].error).toBe(
      "Not sent: The webhook's signing secret cannot be decrypted with this deployment's SECRET_KEY (has it changed since?): rotate it (POST webhooks/waba/{id}/rotate_secret/).",
    );
    expect(sub.received).toHaveLength(0);
    // The rotation keeps the unreadable secret as the previous one; deliveries sign with the new one alone.
    const rotated = (await callJson(`${ws.prefix}/webhooks/waba/${hook.id}/rotate_secret/`, { method: "POST", token: app.token })).body;
    const again = await callJson(`${ws.prefix}/webhooks/waba/${hook.id}/deliveries/${failed.id}/redeliver/`, {
      method: "POST",
      token: app.token,
    });
    expect(again.status).toBe(202);
    await eventually(() => expect(sub.received).toHaveLength(1));
    const got = sub.received[0]!;
    expect(got.signature.split(" ")).toHaveLength(1);
    const headers = { "webhook-id": got.id, "webhook-timestamp": got.timestamp, "webhook-signature": got.signature };
    expect(new Verifier(rotated.secret).verify(got.raw, headers)).toEqual(got.body);
  });
});
