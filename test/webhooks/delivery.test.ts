import { env } from "cloudflare:workers";
import { Webhook as Verifier } from "standardwebhooks";
import { beforeAll, describe, expect, it } from "vitest";
import { callJson } from "../helpers/api";
import { createUser, createWorkspace, type TestUser, type TestWorkspace } from "../helpers/factories";
import { APP_SECRET, cloudEnvelope, contact, postWebhook, textMessage } from "../helpers/whatsapp";
import { createWebhook, eventually, subscriber } from "./support";

let ws: TestWorkspace;
let admin: TestUser;
beforeAll(async () => {
  ws = await createWorkspace({ config: { app_secret: APP_SECRET } });
  admin = await createUser(ws, "admin");
});

let chatN = 0;
const newChat = () => `49151${Date.now().toString().slice(-6)}${chatN++}`;

describe("webhook delivery", () => {
  it("delivers an inbound message once, signed per Standard Webhooks, in the seed's shape, and marks it received", async () => {
    const app = await createUser(ws, "app");
    const sub = subscriber();
    const hook = await createWebhook(ws, app, { url: sub.url });
    const waId = newChat();
    const message = textMessage(waId, "Hello from WhatsApp");
    expect((await postWebhook(ws.inboxId, cloudEnvelope({ contacts: [contact(waId, "Konrad Tester")], messages: [message] }))).status).toBe(200);

    await eventually(() => expect(sub.received.length).toBe(1));
    const [got] = sub.received;
    expect(Object.keys(got!.body).sort()).toEqual(["assigned_messages", "contacts", "incoming_messages", "messages"].filter((k) => k !== "assigned_messages"));
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
    void env;
  });
});
