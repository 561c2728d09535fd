import { evictDurableObject } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { inboxObject } from "../../src/inbox/stub";
import { call, callJson, platform } from "../helpers/api";
import { createUser, createWorkspace, type TestUser, type TestWorkspace } from "../helpers/factories";
import { APP_SECRET, cloudEnvelope, contact, newWaId, postWebhook, textMessage } from "../helpers/whatsapp";

let ws: TestWorkspace;
let admin: TestUser;
beforeAll(async () => {
  ws = await createWorkspace({ config: { app_secret: APP_SECRET } });
  admin = await createUser(ws, "admin");
});

type Client = {
  socket: WebSocket;
  frames: any[];
  closed: { code: number; reason: string } | null;
  next: (pred?: (f: any) => boolean) => Promise<any>;
};

/** A real WebSocket client of the Worker (through its default export, as a browser would connect). */
async function connect(path = `/inboxes/${ws.inboxId}/ws/`, host = "switchboard.test"): Promise<Client> {
  const res = await exports.default.fetch(new Request(`http://${host}${path}`, { headers: { Upgrade: "websocket" } }));
  expect(res.status).toBe(101);
  const socket = res.webSocket as WebSocket;
  socket.accept();
  const client: Client = {
    socket,
    frames: [],
    closed: null,
    next: (pred = () => true) =>
      vi.waitFor(
        () => {
          const found = client.frames.find(pred);
          if (!found) throw new Error(`no such frame yet; have ${JSON.stringify(client.frames).slice(0, 500)}`);
          return found;
        },
        { timeout: 10_000, interval: 20 },
      ),
  };
  socket.addEventListener("message", (e) => {
    if (e.data !== "pong") client.frames.push(JSON.parse(e.data as string));
  });
  socket.addEventListener("close", (e) => {
    client.closed = { code: e.code, reason: e.reason };
  });
  return client;
}

async function authed(user: TestUser, path?: string): Promise<Client> {
  const client = await connect(path);
  client.socket.send(JSON.stringify({ token: user.token }));
  await client.next((f) => f.type === "token" && f.status === "success");
  return client;
}

const incoming = (c: Client, wamid: string) =>
  c.frames.find((f) => f.type === "waba_webhook" && f.waba_payload.incoming_messages?.[0]?.id === wamid);

describe("WebSocket protocol", () => {
  it("authenticates with the first frame, answers bad_request and stays open, then streams events", async () => {
    const client = await connect();
    client.socket.send("not json");
    expect(await client.next()).toEqual({
      type: "response",
      status: "bad_request",
      message: 'Send a JSON object: {"token": "<your API token>"}.',
    });
    client.socket.send(JSON.stringify({ type: "token", value: "x" }));
    expect((await client.next((f) => f.message?.startsWith("Expected"))).status).toBe("bad_request");
    // No events before success.
    const before = newWaId();
    await postWebhook(ws.inboxId, cloudEnvelope({ messages: [textMessage(before, "too early")] }));
    client.socket.send(JSON.stringify({ token: admin.token }));
    expect(await client.next((f) => f.type === "token")).toEqual({ type: "token", status: "success", message: expect.any(String) });
    const waId = newWaId();
    const message = textMessage(waId, "Hello live");
    await postWebhook(ws.inboxId, cloudEnvelope({ contacts: [contact(waId, "Live Person")], messages: [message] }));
    const got = await client.next((f) => f.type === "waba_webhook" && f.waba_payload.messages?.[0]?.id === message.id);
    expect(Object.keys(got.waba_payload).sort()).toEqual(["contacts", "incoming_messages", "messages"]);
    expect(got.waba_payload.incoming_messages[0]).toMatchObject({ id: message.id, from_us: false, received: false });
    expect(client.frames.some((f) => JSON.stringify(f).includes("too early"))).toBe(false);
    expect(client.closed).toBeNull();
    client.socket.close(1000);
  });

  it("answers ping with pong through the runtime's auto-response (the object is not woken)", async () => {
    const client = await connect();
    const pongs: string[] = [];
    client.socket.addEventListener("message", (e) => {
      if (e.data === "pong") pongs.push(e.data);
    });
    client.frames = [];
    client.socket.send("ping");
    await vi.waitFor(() => expect(pongs).toEqual(["pong"]));
    client.socket.close(1000);
  });

  it("answers a wrong token with failed and closes with 1000", async () => {
    const client = await connect();
    client.socket.send(JSON.stringify({ token: "0".repeat(40) }));
    expect(await client.next()).toEqual({ type: "token", status: "failed", message: "Invalid token." });
    await vi.waitFor(() => expect(client.closed?.code).toBe(1000));
  });

  it("refuses another workspace's token", async () => {
    const other = await createWorkspace();
    const stranger = await createUser(other, "admin");
    const client = await connect();
    client.socket.send(JSON.stringify({ token: stranger.token }));
    expect((await client.next()).status).toBe("failed");
  });

  it("closes a connection that sends no token within 10 seconds with 1008", async () => {
    const client = await connect();
    await vi.waitFor(() => expect(client.closed).toEqual({ code: 1008, reason: "No token within 10 seconds." }), {
      timeout: 16_000,
      interval: 200,
    });
  }, 20_000);

  it("refuses frames over 64 KiB", async () => {
    const client = await connect();
    client.socket.send(JSON.stringify({ token: "x".repeat(70_000) }));
    await vi.waitFor(() => expect(client.closed?.code).toBe(1009));
  });

  it("answers 426 to a plain request on the socket paths, and serves the seed's websockets- host and an upgrade at /", async () => {
    for (const path of [`/inboxes/${ws.inboxId}/ws/`, `/inboxes/${ws.inboxId}/ws`, "/ws/"]) {
      const res = await call(path);
      expect([path, res.status, await res.json()]).toEqual([
        path,
        426,
        { detail: "This is a WebSocket endpoint: connect with Upgrade: websocket." },
      ]);
    }
    const hosted = await createWorkspace();
    const hostname = `inbox-${Date.now()}.example.com`;
    const patched = await platform(`/workspaces/${hosted.id}/inboxes/${hosted.inboxId}`, { method: "PATCH", body: { hostname } });
    expect(patched.status).toBe(200);
    const hostedAdmin = await createUser(hosted, "admin");
    for (const [host, path] of [
      [`websockets-${hostname}`, "/"],
      [hostname, "/"],
      ["switchboard.test", `/inboxes/${hosted.inboxId}/ws`],
    ]) {
      const res = await exports.default.fetch(new Request(`http://${host}${path}`, { headers: { Upgrade: "websocket" } }));
      expect([host, res.status]).toEqual([host, 101]);
      const socket = res.webSocket as WebSocket;
      socket.accept();
      const frames: any[] = [];
      socket.addEventListener("message", (e) => {
        frames.push(JSON.parse(e.data as string));
      });
      socket.send(JSON.stringify({ token: hostedAdmin.token }));
      await vi.waitFor(() => expect(frames[0]?.status).toBe("success"));
      socket.close(1000);
    }
  });
});

describe("WebSocket events", () => {
  it("gives each client exactly what its user may read, and follows assignment changes at once", async () => {
    const agent = await createUser(ws, "user"); // reads chats assigned to them or their groups
    const blindUser = await createUser(ws, "user");
    await callJson(`${ws.prefix}/users/${blindUser.id}/`, {
      method: "PATCH",
      token: admin.token,
      body: { permissions: { can_use_tags: true, can_read_chats: "none", can_write_to_chats: "none" } },
    });
    const [all, mine, none] = [await authed(admin), await authed(agent), await authed(blindUser)];
    const waId = newWaId();
    const first = textMessage(waId, "first");
    await postWebhook(ws.inboxId, cloudEnvelope({ messages: [first] }));
    await all.next((f) => incoming(all, first.id) === f);
    await callJson(`${ws.prefix}/chat_assignment/${waId}/`, { method: "PATCH", token: admin.token, body: { assigned_to_user: agent.id } });
    // The agent is told of the assignment (with the chat's messages), in both frame types.
    const assigned = await mine.next((f) => f.type === "waba_webhook" && f.waba_payload.chat_assignment);
    expect(assigned.waba_payload.chat_assignment).toMatchObject({ wa_id: waId, assigned_to_user_set: { id: agent.id } });
    expect(assigned.waba_payload.assigned_messages.map((m: any) => m.id)).toEqual([first.id]);
    const getchat = await mine.next((f) => f.type === "getchat_webhook");
    expect(Object.keys(getchat.waba_payload)).toEqual(["chat_assignment"]);
    const second = textMessage(waId, "second");
    await postWebhook(ws.inboxId, cloudEnvelope({ messages: [second] }));
    const toAgent = await mine.next((f) => incoming(mine, second.id) === f);
    expect(toAgent.waba_payload.assigned_messages.map((m: any) => m.id)).toEqual([second.id]);
    await all.next((f) => incoming(all, second.id) === f);
    // Before the assignment the agent saw nothing of this chat; the blind user sees nothing at all.
    expect(incoming(mine, first.id)).toBeUndefined();
    expect(none.frames.filter((f) => f.type !== "token")).toEqual([]);
    for (const c of [all, mine, none]) c.socket.close(1000);
  });

  it("streams sent messages and their statuses in inbox order", async () => {
    const client = await authed(admin);
    const waId = newWaId();
    await postWebhook(ws.inboxId, cloudEnvelope({ messages: [textMessage(waId, "order please")] }));
    const sent = await callJson(`${ws.prefix}/messages/`, { token: admin.token, body: { wa_id: waId, text: { body: "on its way" } } });
    const id = sent.body.waba_response.messages[0].id;
    const out = await client.next((f) => f.type === "getchat_webhook" && f.waba_payload.outgoing_messages?.[0]?.id === id);
    expect(out.waba_payload.outgoing_messages[0]).toMatchObject({ from_us: true, customer_wa_id: waId });
    await vi.waitFor(
      () => {
        const statuses = client.frames
          .flatMap((f) => (f.type === "waba_webhook" ? (f.waba_payload.statuses ?? []) : []))
          .filter((st: any) => st.id === id);
        expect(statuses.map((st: any) => st.status)).toEqual(["sent", "delivered", "read"]);
        expect(statuses[0]).toEqual({ id, status: "sent", timestamp: expect.stringMatching(/^\d+$/) });
      },
      { timeout: 15_000, interval: 100 },
    );
    // The whole stream in order: the inbound message, the outgoing one, then its statuses.
    const order = client.frames
      .filter((f) => f.type === "waba_webhook")
      .map((f) => Object.keys(f.waba_payload).find((k) => ["incoming_messages", "outgoing_messages", "statuses"].includes(k)));
    expect(order).toEqual(["incoming_messages", "outgoing_messages", "statuses", "statuses", "statuses"]);
    client.socket.close(1000);
  }, 20_000);

  it("closes sockets of a revoked token, and takes new permissions for the next event", async () => {
    const user = await createUser(ws, "app");
    const client = await authed(user);
    await callJson(`${ws.prefix}/users/${user.id}/`, {
      method: "PATCH",
      token: admin.token,
      body: { permissions: { can_use_tags: true, can_read_chats: "none", can_write_to_chats: "none" } },
    });
    const hidden = textMessage(newWaId(), "not for you now");
    await postWebhook(ws.inboxId, cloudEnvelope({ messages: [hidden] }));
    const watcher = await authed(admin);
    const later = textMessage(newWaId(), "later");
    await postWebhook(ws.inboxId, cloudEnvelope({ messages: [later] }));
    await watcher.next((f) => incoming(watcher, later.id) === f);
    expect(incoming(client, hidden.id)).toBeUndefined();
    expect((await callJson(`${ws.prefix}/auth/logout/`, { token: user.token })).status).toBe(200);
    await vi.waitFor(() => expect(client.closed).toEqual({ code: 1008, reason: "Token revoked." }));
    watcher.socket.close(1000);
  });

  it("closes the sockets of a user deactivated since (at the next refresh of that user)", async () => {
    const user = await createUser(ws, "app");
    const client = await authed(user);
    await env.DB.prepare("UPDATE users SET is_active = 0 WHERE id = ?").bind(user.id).run();
    await inboxObject(env, ws.inboxId).refreshSockets(ws.inboxId, user.id, false);
    await vi.waitFor(() => expect(client.closed).toEqual({ code: 1008, reason: "User inactive or deleted." }));
  });

  it("serves the default inbox at /ws/ and at an upgrade of / on the API host", async () => {
    for (const path of ["/ws/", "/ws", "/"]) {
      const client = await authed(admin, path);
      const message = textMessage(newWaId(), `via ${path}`);
      await postWebhook(ws.inboxId, cloudEnvelope({ messages: [message] }));
      await client.next((f) => incoming(client, message.id) === f);
      client.socket.close(1000);
    }
  });

  it("keeps sockets and their scope across the object's eviction (hibernation)", async () => {
    const client = await authed(admin);
    await evictDurableObject(inboxObject(env, ws.inboxId));
    const message = textMessage(newWaId(), "after eviction");
    await postWebhook(ws.inboxId, cloudEnvelope({ messages: [message] }));
    await client.next((f) => incoming(client, message.id) === f);
    client.socket.close(1000);
  });
});
