import { describe, expect, it } from "vitest";
import { callJson } from "../helpers/api";
import { createUser, createWorkspace } from "../helpers/factories";

describe("custom groups", () => {
  it("admins create, rename and delete groups; members come through a user's groups", async () => {
    const ws = await createWorkspace();
    const admin = await createUser(ws, "admin");
    const agent = await createUser(ws, "user");
    const created = await callJson(`${ws.prefix}/groups/`, { token: admin.token, body: { name: "Agents" } });
    expect(created).toMatchObject({ status: 201, body: { id: expect.any(Number), name: "Agents" } });
    const dup = await callJson(`${ws.prefix}/groups/`, { token: admin.token, body: { name: "Agents" } });
    expect(dup.body).toEqual({ name: ["group with this name already exists."] });
    expect((await callJson(`${ws.prefix}/groups/`, { token: agent.token, body: { name: "Mine" } })).status).toBe(403);
    const joined = await callJson(`${ws.prefix}/users/${agent.id}/`, {
      method: "PATCH",
      token: admin.token,
      body: { groups: [created.body.id] },
    });
    expect(joined.body.groups).toEqual(expect.arrayContaining([{ id: created.body.id, name: "Agents" }]));
    const renamed = await callJson(`${ws.prefix}/groups/${created.body.id}/`, {
      method: "PATCH",
      token: admin.token,
      body: { name: "Support" },
    });
    expect(renamed.body).toEqual({ id: created.body.id, name: "Support" });
    expect((await callJson(`${ws.prefix}/groups/?limit=10`, { token: agent.token })).body.count).toBe(4);
    expect((await callJson(`${ws.prefix}/groups/${created.body.id}/`, { method: "DELETE", token: admin.token })).status).toBe(204);
    expect((await callJson(`${ws.prefix}/groups/${created.body.id}/`, { token: admin.token })).status).toBe(404);
  });

  it("protects the built-in groups and groups with assigned chats", async () => {
    const ws = await createWorkspace();
    const admin = await createUser(ws, "admin");
    const list = await callJson(`${ws.prefix}/groups/`, { token: admin.token });
    const builtin = list.body.results[0].id;
    const rename = await callJson(`${ws.prefix}/groups/${builtin}/`, { method: "PATCH", token: admin.token, body: { name: "X" } });
    expect(rename).toMatchObject({ status: 400, body: { detail: "Built-in groups cannot be renamed or deleted." } });
    expect((await callJson(`${ws.prefix}/groups/${builtin}/`, { method: "DELETE", token: admin.token })).status).toBe(400);
    const group = await callJson(`${ws.prefix}/groups/`, { token: admin.token, body: { name: "Agents" } });
    await ws.shard
      .prepare("INSERT INTO chats (inbox_id, wa_id, contact, assigned_group) VALUES (?, '4915100000201', '{}', ?)")
      .bind(ws.inboxId, group.body.id)
      .run();
    const del = await callJson(`${ws.prefix}/groups/${group.body.id}/`, { method: "DELETE", token: admin.token });
    expect(del).toMatchObject({ status: 400, body: { detail: "This group has assigned chats: reassign them before deleting it." } });
  });
});
