import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { call, callJson, platform } from "../helpers/api";
import { createUser, createWorkspace } from "../helpers/factories";

const FULL = { can_use_tags: true, can_read_chats: "all", can_write_to_chats: "all" };
const V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe("users", () => {
  it("shows the seed's User shape for the current user", async () => {
    const ws = await createWorkspace();
    const admin = await createUser(ws, "admin", { first_name: "Peter", last_name: "Rabbit" });
    const me = await callJson(`${ws.prefix}/users/current/`, { token: admin.token });
    expect(me.body).toEqual({
      url: `http://switchboard.test${ws.prefix}/users/${admin.id}/`,
      id: admin.id,
      uuid: expect.stringMatching(V4),
      username: admin.username,
      first_name: "Peter",
      last_name: "Rabbit",
      email: `${admin.username}@example.com`,
      profile: { role: "admin", is_available: true },
      groups: [{ id: expect.any(Number), name: "Admin" }],
      permissions: FULL,
    });
  });

  it("lists users with count/next/previous and absolute links", async () => {
    const ws = await createWorkspace();
    const admin = await createUser(ws, "admin");
    await createUser(ws, "user");
    await createUser(ws, "app");
    const first = await callJson(`${ws.prefix}/users/?limit=2`, { token: admin.token });
    expect(first.body.count).toBe(3);
    expect(first.body.results.map((u: any) => u.profile.role)).toEqual(["admin", "user"]);
    expect(first.body.previous).toBeNull();
    expect(first.body.next).toBe(`http://switchboard.test${ws.prefix}/users/?limit=2&offset=2`);
    const second = await callJson(first.body.next, { token: admin.token });
    expect(second.body.results.map((u: any) => u.profile.role)).toEqual(["app"]);
    expect(second.body.next).toBeNull();
    expect(second.body.previous).toBe(`http://switchboard.test${ws.prefix}/users/?limit=2`);
    const bad = await callJson(`${ws.prefix}/users/?limit=abc&offset=-1`, { token: admin.token });
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.body).sort()).toEqual(["limit", "offset"]);
  });

  it("lets only admins create users; usernames are alphanumeric and unique", async () => {
    const ws = await createWorkspace();
    const admin = await createUser(ws, "admin");
    const regular = await createUser(ws, "user");
    expect((await callJson(`${ws.prefix}/users/`, { token: regular.token, body: { username: "x1" } })).status).toBe(403);
    const bad = await callJson(`${ws.prefix}/users/`, { token: admin.token, body: { username: "no-dashes", email: "bad" } });
    expect(bad).toMatchObject({
      status: 400,
      body: { username: ["Only alphanumeric characters are allowed (A-Z, a-z, 0-9)."], email: ["Enter a valid email address."] },
    });
    const dup = await callJson(`${ws.prefix}/users/`, { token: admin.token, body: { username: regular.username } });
    expect(dup).toMatchObject({ status: 400, body: { username: ["A user with that username already exists."] } });
    const role = await callJson(`${ws.prefix}/users/`, { token: admin.token, body: { username: "r1", profile: { role: "root" } } });
    expect(role.status).toBe(400);
    expect(role.body.profile.role[0]).toMatch(/admin|user|app/);
  });

  it("activates an app user with a token and voids the code", async () => {
    const ws = await createWorkspace();
    const admin = await createUser(ws, "admin");
    const created = await callJson(`${ws.prefix}/users/`, { token: admin.token, body: { username: "crmbot", profile: { role: "app" } } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ username: "crmbot", profile: { role: "app" }, groups: [{ name: "App integration" }] });
    expect(created.body.permissions).toEqual({ can_use_tags: true, can_read_chats: "all", can_write_to_chats: "assigned" });
    const url: string = created.body.activation_url;
    expect(url).toMatch(new RegExp(`^http://switchboard.test${ws.prefix}/users/activate/[0-9a-f]{40}/$`));
    // Inactive until activated: the retrieve shape never shows the activation URL again.
    const shown = await callJson(`${ws.prefix}/users/${created.body.id}/`, { token: admin.token });
    expect(shown.body.activation_url).toBeUndefined();

    const activated = await callJson(url);
    expect(activated.status).toBe(200);
    expect(activated.body.token).toMatch(/^[0-9a-f]{40}$/);
    expect((await callJson(`${ws.prefix}/users/current/`, { token: activated.body.token })).body.username).toBe("crmbot");
    expect((await callJson(url)).status).toBe(404);
  });

  it("activates a regular user only after a password is set; inactive users cannot log in", async () => {
    const ws = await createWorkspace();
    const admin = await createUser(ws, "admin");
    const created = await callJson(`${ws.prefix}/users/`, { token: admin.token, body: { username: "agent1", email: "a@example.com" } });
    const url: string = created.body.activation_url;
    expect((await callJson(url, { method: "POST" })).status).toBe(400);
    const set = await callJson(`${ws.prefix}/users/${created.body.id}/password/change/`, {
      token: admin.token,
      body: { password: "agent-password-1" },
    });
    expect(set).toMatchObject({ status: 200, body: {} });
    const before = await callJson(`${ws.prefix}/auth/token/`, { body: { username: "agent1", password: "agent-password-1" } });
    expect(before.status).toBe(400);
    expect(await callJson(url, { method: "POST" })).toMatchObject({ status: 200, body: { detail: "Account activated." } });
    const after = await callJson(`${ws.prefix}/auth/token/`, { body: { username: "agent1", password: "agent-password-1" } });
    expect(after.status).toBe(200);
  });

  it("PUT requires every required field, PATCH none", async () => {
    const ws = await createWorkspace();
    const admin = await createUser(ws, "admin");
    const user = await createUser(ws, "user");
    const put = await callJson(`${ws.prefix}/users/${user.id}/`, { method: "PUT", token: admin.token, body: { first_name: "Only" } });
    expect(put.status).toBe(400);
    expect(Object.keys(put.body).sort()).toEqual(["email", "groups", "permissions", "username"]);
    const patch = await callJson(`${ws.prefix}/users/${user.id}/`, { method: "PATCH", token: admin.token, body: { first_name: "Only" } });
    expect(patch).toMatchObject({ status: 200, body: { first_name: "Only", username: user.username } });
    const full = await callJson(`${ws.prefix}/users/${user.id}/`, {
      method: "PUT",
      token: admin.token,
      body: { username: "renamed", email: "r@example.com", groups: [], permissions: FULL, profile: { role: "user" } },
    });
    expect(full).toMatchObject({ status: 200, body: { username: "renamed", permissions: FULL, groups: [{ name: "Regular user" }] } });
  });

  it("lets users update themselves but not their role, groups or permissions", async () => {
    const ws = await createWorkspace();
    await createUser(ws, "admin");
    const user = await createUser(ws, "user");
    const other = await createUser(ws, "user");
    const self = await callJson(`${ws.prefix}/users/${user.id}/`, { method: "PATCH", token: user.token, body: { last_name: "Me" } });
    expect(self).toMatchObject({ status: 200, body: { last_name: "Me" } });
    const elevate = await callJson(`${ws.prefix}/users/${user.id}/`, {
      method: "PATCH",
      token: user.token,
      body: { permissions: { can_read_chats: "all" } },
    });
    expect(elevate).toMatchObject({ status: 403, body: { detail: "Only admins can change roles, groups and permissions." } });
    const promote = await callJson(`${ws.prefix}/users/${user.id}/`, {
      method: "PATCH",
      token: user.token,
      body: { profile: { role: "admin" } },
    });
    expect(promote.status).toBe(403);
    const foreign = await callJson(`${ws.prefix}/users/${other.id}/`, { method: "PATCH", token: user.token, body: { last_name: "X" } });
    expect(foreign.status).toBe(403);
  });

  it("moves a user between role groups with default permissions when an admin changes the role", async () => {
    const ws = await createWorkspace();
    const admin = await createUser(ws, "admin");
    const user = await createUser(ws, "user");
    const res = await callJson(`${ws.prefix}/users/${user.id}/`, {
      method: "PATCH",
      token: admin.token,
      body: { profile: { role: "admin" } },
    });
    expect(res.body).toMatchObject({ profile: { role: "admin" }, groups: [{ name: "Admin" }], permissions: FULL });
    const last = await callJson(`${ws.prefix}/users/${admin.id}/`, {
      method: "PATCH",
      token: admin.token,
      body: { profile: { role: "user" } },
    });
    expect(last.status).toBe(200);
    const lonely = await callJson(`${ws.prefix}/users/${user.id}/`, {
      method: "PATCH",
      token: user.token,
      body: { profile: { role: "user" } },
    });
    expect(lonely).toMatchObject({
      status: 400,
      body: { profile: { role: ["The workspace's last active admin cannot lose the admin role."] } },
    });
  });

  it("gives every user a v4 uuid beside the id, fixed at creation and read-only", async () => {
    const ws = await createWorkspace();
    const admin = await createUser(ws, "admin");
    const created = await callJson(`${ws.prefix}/users/`, { token: admin.token, body: { username: "uuidperson" } });
    expect(created).toMatchObject({ status: 201, body: { uuid: expect.stringMatching(V4) } });
    const shown = await callJson(`${ws.prefix}/users/${admin.id}/`, { token: admin.token });
    expect(shown).toMatchObject({ status: 200, body: { id: admin.id, uuid: expect.stringMatching(V4) } });
    expect(shown.body.uuid).not.toBe(created.body.uuid);
    const stored = await env.DB.prepare("SELECT uuid FROM users WHERE id = ?").bind(admin.id).first<{ uuid: string }>();
    expect(stored?.uuid).toBe(shown.body.uuid);
    const patched = await callJson(`${ws.prefix}/users/${created.body.id}/`, {
      method: "PATCH",
      token: admin.token,
      body: { uuid: crypto.randomUUID(), first_name: "Ida" },
    });
    expect(patched).toMatchObject({ status: 200, body: { uuid: created.body.uuid, first_name: "Ida" } });
    const listed = await callJson(`${ws.prefix}/users/`, { token: admin.token });
    expect(listed.body.results.map((u: any) => u.uuid)).toEqual([shown.body.uuid, created.body.uuid]);
    // The platform API answers with the same User shape.
    const bootstrapped = await platform(`/workspaces/${ws.id}/users`, {
      body: { username: "platformuuid", password: "correct-horse-battery" },
    });
    expect(bootstrapped).toMatchObject({ status: 201, body: { uuid: expect.stringMatching(V4) } });
    expect(new Set([shown.body.uuid, created.body.uuid, bootstrapped.body.uuid]).size).toBe(3);
  });

  it("rejects unknown group ids and 404s foreign or non-numeric user ids", async () => {
    const ws = await createWorkspace();
    const other = await createWorkspace();
    const admin = await createUser(ws, "admin");
    const stranger = await createUser(other, "user");
    const groups = await callJson(`${ws.prefix}/users/${admin.id}/`, { method: "PATCH", token: admin.token, body: { groups: [999999] } });
    expect(groups).toMatchObject({ status: 400, body: { groups: ['Invalid pk "999999" - object does not exist.'] } });
    expect((await callJson(`${ws.prefix}/users/${stranger.id}/`, { token: admin.token })).status).toBe(404);
    expect((await callJson(`${ws.prefix}/users/abc/`, { token: admin.token })).status).toBe(404);
  });

  it("changes one's own password with the current one, ending sessions", async () => {
    const ws = await createWorkspace();
    const user = await createUser(ws, "user");
    const path = `${ws.prefix}/users/current/password/change/`;
    const wrong = await callJson(path, {
      token: user.token,
      body: { current_password: "not-it-at-all", new_password: "brand-new-pass-1" },
    });
    expect(wrong).toMatchObject({ status: 400, body: { current_password: ["Wrong password."] } });
    const weak = await callJson(path, { token: user.token, body: { current_password: user.password, new_password: "123" } });
    expect(weak.status).toBe(400);
    expect(weak.body.new_password).toContain("This password is too short. It must contain at least 8 characters.");
    expect(
      await callJson(path, { token: user.token, body: { current_password: user.password, new_password: "brand-new-pass-1" } }),
    ).toMatchObject({
      status: 200,
    });
    expect((await callJson(`${ws.prefix}/auth/token/`, { body: { username: user.username, password: "brand-new-pass-1" } })).status).toBe(
      200,
    );
    const sessions = await env.DB.prepare("SELECT count(*) AS n FROM sessions WHERE user_id = ?").bind(user.id).first<{ n: number }>();
    expect(sessions?.n).toBe(0);
  });
});

describe("groups", () => {
  it("lists the three role groups of the workspace", async () => {
    const ws = await createWorkspace();
    const user = await createUser(ws, "user");
    const res = await callJson(`${ws.prefix}/groups/`, { token: user.token });
    expect(res.body).toMatchObject({ count: 3, next: null, previous: null });
    expect(res.body.results.map((g: any) => g.name)).toEqual(["Admin", "Regular user", "App integration"]);
  });
});

describe("GET without trailing slash", () => {
  it("redirects to the seed's path", async () => {
    const ws = await createWorkspace();
    const res = await call(`${ws.prefix}/users`);
    expect(res.status).toBe(301);
    expect(res.headers.get("location")).toBe(`http://switchboard.test${ws.prefix}/users/`);
  });
});
