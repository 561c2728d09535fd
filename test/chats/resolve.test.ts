import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { callJson } from "../helpers/api";
import { createUser, createWorkspace } from "../helpers/factories";
import { APP_SECRET, cloudEnvelope, newWaId, postWebhook, textMessage } from "../helpers/whatsapp";
import { createWebhook, eventually, subscriber } from "../webhooks/support";

async function setup() {
  const ws = await createWorkspace({ config: { app_secret: APP_SECRET } });
  const admin = await createUser(ws, "admin");
  const waId = newWaId();
  await postWebhook(ws.inboxId, cloudEnvelope({ messages: [textMessage(waId, "help")] }));
  return { ws, admin, waId };
}
const resolvedEvents = (inboxId: string) =>
  runInDurableObject(env.INBOX.getByName(inboxId), (_o, state) =>
    state.storage.sql.exec<{ refs: string }>("SELECT refs FROM events WHERE type = 'chat_resolved' ORDER BY seq").toArray(),
  );

describe("resolving a chat", () => {
  it("resolves and reopens through both paths, one event per change, and shows `resolved` on the chat", async () => {
    const { ws, admin, waId } = await setup();
    expect((await callJson(`${ws.prefix}/chats/${waId}/`, { token: admin.token })).body.resolved).toBe(false);

    const done = await callJson(`${ws.prefix}/chats/${waId}/resolve`, { method: "PATCH", token: admin.token, body: { resolved: true } });
    expect(done).toMatchObject({ status: 200, body: { wa_id: waId, resolved: true } });
    expect((await callJson(`${ws.prefix}/chats/${waId}/`, { token: admin.token })).body.resolved).toBe(true);
    const list = await callJson(`${ws.prefix}/chats/`, { token: admin.token });
    expect(list.body.results.find((c: { wa_id: string }) => c.wa_id === waId).resolved).toBe(true);
    // The same state again changes nothing and makes no event.
    await callJson(`${ws.prefix}/chats/${waId}/resolve/`, { method: "PATCH", token: admin.token, body: { resolved: true } });
    expect(await resolvedEvents(ws.inboxId)).toHaveLength(1);

    const reopened = await callJson(`${ws.prefix}/chats/${waId}/resolve/`, {
      method: "PATCH",
      token: admin.token,
      body: { resolved: false },
    });
    expect(reopened.body).toEqual({ wa_id: waId, resolved: false });
    const refs = (await resolvedEvents(ws.inboxId)).map((r) => JSON.parse(r.refs));
    expect(refs).toMatchObject([
      { wa_id: waId, resolved: 1, done_by: admin.id },
      { wa_id: waId, resolved: 0, done_by: admin.id },
    ]);
  });

  it("is reopened by a new customer message, not by a redelivery of an old one", async () => {
    const { ws, admin, waId } = await setup();
    const old = textMessage(waId, "first");
    await postWebhook(ws.inboxId, cloudEnvelope({ messages: [old] }));
    await callJson(`${ws.prefix}/chats/${waId}/resolve`, { method: "PATCH", token: admin.token, body: { resolved: true } });
    await postWebhook(ws.inboxId, cloudEnvelope({ messages: [old] }));
    expect((await callJson(`${ws.prefix}/chats/${waId}/`, { token: admin.token })).body.resolved).toBe(true);
    // Our own reply does not reopen it either.
    await callJson(`${ws.prefix}/messages/`, { token: admin.token, body: { wa_id: waId, text: { body: "Done, bye!" } } });
    expect((await callJson(`${ws.prefix}/chats/${waId}/`, { token: admin.token })).body.resolved).toBe(true);
    await postWebhook(ws.inboxId, cloudEnvelope({ messages: [textMessage(waId, "one more thing")] }));
    expect((await callJson(`${ws.prefix}/chats/${waId}/`, { token: admin.token })).body.resolved).toBe(false);
  });

  it("tells webhooks as `chat_resolved`, with who did it", async () => {
    const { ws, admin, waId } = await setup();
    const app = await createUser(ws, "app");
    const sub = subscriber();
    await createWebhook(ws, app, { url: sub.url });
    await callJson(`${ws.prefix}/chats/${waId}/resolve`, { method: "PATCH", token: admin.token, body: { resolved: true } });
    await eventually(() => expect(sub.received.some((r) => r.body.chat_resolved)).toBe(true));
    const body = sub.received.find((r) => r.body.chat_resolved)!.body;
    expect(Object.keys(body)).toEqual(["chat_resolved"]);
    expect(body.chat_resolved).toMatchObject({ wa_id: waId, resolved: true, done_by: { id: admin.id, username: admin.username } });
    expect(typeof body.chat_resolved.timestamp).toBe("number");
  });

  it("validates the body and checks access: unreadable is 404, read-only is 403", async () => {
    const { ws, admin, waId } = await setup();
    const path = `${ws.prefix}/chats/${waId}/resolve`;
    expect((await callJson(path, { method: "PATCH", token: admin.token, body: {} })).body).toEqual({
      resolved: ["This field is required."],
    });
    expect((await callJson(path, { method: "PATCH", token: admin.token, body: { resolved: "yes" } })).status).toBe(400);
    expect(
      (await callJson(`${ws.prefix}/chats/4915100000999/resolve`, { method: "PATCH", token: admin.token, body: { resolved: true } }))
        .status,
    ).toBe(404);
    const reader = await createUser(ws, "user");
    await callJson(`${ws.prefix}/users/${reader.id}/`, {
      method: "PATCH",
      token: admin.token,
      body: { permissions: { can_use_tags: true, can_read_chats: "all", can_write_to_chats: "none" } },
    });
    expect(await callJson(path, { method: "PATCH", token: reader.token, body: { resolved: true } })).toMatchObject({
      status: 403,
      body: { detail: "You may not write to this chat." },
    });
    expect(await resolvedEvents(ws.inboxId)).toHaveLength(0);
  });
});
