import { beforeAll, describe, expect, it } from "vitest";
import { callJson, platform } from "../helpers/api";
import { createUser, createWorkspace, type TestUser, type TestWorkspace } from "../helpers/factories";

let ws: TestWorkspace;
let admin: TestUser;
beforeAll(async () => {
  ws = await createWorkspace();
  admin = await createUser(ws, "admin");
});

const NEW_KEY = {
  id: expect.any(String),
  name: "CRM",
  key: expect.stringMatching(/^sbk_[A-Za-z0-9_-]{32}$/),
  prefix: expect.stringMatching(/^sbk_.{4}$/),
  created_at: expect.any(Number),
  contact_webhook_url: expect.stringMatching(/^http:\/\/switchboard\.test\/webhooks\/contacts\/sbk_/),
};

describe("workspace API keys", () => {
  it("are created through the platform API, shown once, listed without the key, and revoked", async () => {
    const made = await platform(`/workspaces/${ws.id}/api_keys`, { body: { name: "CRM" } });
    expect(made).toMatchObject({ status: 201, body: NEW_KEY });
    expect(made.body.prefix).toBe(made.body.key.slice(0, 8));
    expect(made.body.contact_webhook_url).toBe(`http://switchboard.test/webhooks/contacts/${made.body.key}`);
    const list = await platform(`/workspaces/${ws.id}/api_keys`);
    expect(list.body.results).toContainEqual({
      id: made.body.id,
      name: "CRM",
      prefix: made.body.prefix,
      created_at: made.body.created_at,
      last_used_at: null,
    });
    expect(JSON.stringify(list.body)).not.toContain(made.body.key);
    expect((await platform(`/workspaces/${ws.id}/api_keys/${made.body.id}`, { method: "DELETE" })).status).toBe(204);
    expect((await platform(`/workspaces/${ws.id}/api_keys/${made.body.id}`, { method: "DELETE" })).status).toBe(404);
    expect((await platform(`/workspaces/nope/api_keys`, { body: { name: "x" } })).status).toBe(404);
    expect((await platform(`/workspaces/${ws.id}/api_keys`, { body: { name: " " } })).body).toEqual({
      name: ["This field may not be blank."],
    });
  });

  it("are managed by workspace admins at /api/v1/api_keys/ with the same shapes, and by nobody else", async () => {
    const made = await callJson(`${ws.prefix}/api_keys/`, { token: admin.token, body: { name: "CRM" } });
    expect(made).toMatchObject({ status: 201, body: NEW_KEY });
    const keys = await callJson(`${ws.prefix}/api_keys/`, { token: admin.token });
    expect(keys.body.results.map((k: { id: string }) => k.id)).toContain(made.body.id);
    const user = await createUser(ws, "user");
    expect((await callJson(`${ws.prefix}/api_keys/`, { token: user.token })).status).toBe(403);
    // Another workspace's admin cannot see or revoke it.
    const other = await createWorkspace();
    const stranger = await createUser(other, "admin");
    expect((await callJson(`${other.prefix}/api_keys/${made.body.id}/`, { method: "DELETE", token: stranger.token })).status).toBe(404);
    expect((await callJson(`${ws.prefix}/api_keys/${made.body.id}/`, { method: "DELETE", token: admin.token })).status).toBe(204);
  });
});
