import { beforeAll, describe, expect, it } from "vitest";
import { callJson, platform } from "../helpers/api";
import { createUser, createWorkspace, type TestUser, type TestWorkspace } from "../helpers/factories";
import { APP_SECRET, cloudEnvelope, postWebhook, textMessage } from "../helpers/whatsapp";

let ws: TestWorkspace;
let admin: TestUser;
beforeAll(async () => {
  ws = await createWorkspace({ config: { app_secret: APP_SECRET } });
  admin = await createUser(ws, "admin");
});

describe("what the vendor's web-inbox client also calls", () => {
  it("GET /whatsapp_accounts/ lists this inbox's number, and the workspace's others without the filter", async () => {
    const second = await platform(`/workspaces/${ws.id}/inboxes`, {
      body: { name: "Second", provider: "sandbox", phone_number: "+4930123456", config: {} },
    });
    expect(second.status).toBe(201);
    const mine = await callJson(`${ws.prefix}/whatsapp_accounts/?this_instance=true`, { token: admin.token });
    expect(mine).toMatchObject({ status: 200, body: [{ phone_number: "4915112345678", this_instance: true }] });
    const all = await callJson(`${ws.prefix}/whatsapp_accounts/`, { token: admin.token });
    expect(all.body).toEqual([
      { phone_number: "4915112345678", this_instance: true },
      { phone_number: second.body.phone_number, this_instance: false },
    ]);
  });

  it("PATCH /users/{id}/availability sets profile.is_available (self or admin), and round robin skips unavailable members", async () => {
    const [a, b] = [await createUser(ws, "user"), await createUser(ws, "user")];
    expect((await callJson(`${ws.prefix}/users/${a.id}/`, { token: a.token })).body.profile).toEqual({ role: "user", is_available: true });
    const self = await callJson(`${ws.prefix}/users/${a.id}/availability`, {
      method: "PATCH",
      token: a.token,
      body: { is_available: false },
    });
    expect(self).toMatchObject({ status: 200, body: { id: a.id, profile: { role: "user", is_available: false } } });
    const other = await callJson(`${ws.prefix}/users/${a.id}/availability/`, {
      method: "PATCH",
      token: b.token,
      body: { is_available: true },
    });
    expect(other.status).toBe(403);
    const invalid = await callJson(`${ws.prefix}/users/${a.id}/availability`, {
      method: "PATCH",
      token: a.token,
      body: { is_available: "no" },
    });
    expect(invalid.status).toBe(400);

    const group = (await callJson(`${ws.prefix}/groups/`, { token: admin.token, body: { name: "Availability team" } })).body;
    for (const u of [a, b])
      await callJson(`${ws.prefix}/users/${u.id}/`, { method: "PATCH", token: admin.token, body: { groups: [group.id] } });
    const tag = (await callJson(`${ws.prefix}/tags/`, { token: admin.token, body: { name: "Availability" } })).body;
    await callJson(`${ws.prefix}/rule_engine/rules/`, {
      token: admin.token,
      body: { tagged_with: tag.id, assign_to_group: group.id, group_assign_method: "round_robin" },
    });
    const chats = ["4915199000001", "4915199000002", "4915199000003"];
    for (const waId of chats) {
      await postWebhook(ws.inboxId, cloudEnvelope({ messages: [textMessage(waId, "hi")] }));
      await callJson(`${ws.prefix}/chat_tagging/`, { token: admin.token, body: { tag: tag.id, chat: waId } });
    }
    const { vi } = await import("vitest");
    await vi.waitFor(
      async () => {
        const users = await Promise.all(
          chats.map(async (w) => (await callJson(`${ws.prefix}/chat_assignment/${w}/`, { token: admin.token })).body.assigned_to_user),
        );
        expect(users).toEqual([b.id, b.id, b.id]);
      },
      { timeout: 15_000, interval: 200 },
    );
  });
});
