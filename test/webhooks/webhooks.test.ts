import { beforeAll, describe, expect, it } from "vitest";
import { callJson } from "../helpers/api";
import { createUser, createWorkspace, type TestUser, type TestWorkspace } from "../helpers/factories";

let ws: TestWorkspace;
let admin: TestUser;
beforeAll(async () => {
  ws = await createWorkspace();
  admin = await createUser(ws, "admin");
});
const path = (suffix = "") => `${ws.prefix}/webhooks/waba/${suffix}`;

describe("WABA webhooks", () => {
  it("creates one per user with the seed's body: every flag on, a Standard Webhooks secret shown once", async () => {
    const user = await createUser(ws, "app");
    const res = await callJson(path(), { token: user.token, body: { url: "https://crm.example.com/hook?auth=abc" } });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id: expect.any(Number),
      user: { id: user.id, username: user.username, url: `http://switchboard.test${ws.prefix}/users/${user.id}/` },
      url: "https://crm.example.com/hook?auth=abc",
      on_incoming_message: true,
      on_outgoing_message: true,
      on_assigned: true,
      is_active: true,
      secret: expect.stringMatching(/^whsec_[A-Za-z0-9+/]{43}=$/),
    });
    const again = await callJson(path(), { token: user.token, body: { url: "https://other.example.com/" } });
    expect(again.status).toBe(400);
    expect(again.body).toEqual({ detail: "This user already has a WABA webhook on this inbox: change or delete it." });
    const shown = await callJson(path(`${res.body.id}/`), { token: user.token });
    expect(shown.body.secret).toBeUndefined();
  });

  it("lists all for admins and only their own for others; others' ids are 404", async () => {
    const a = await createUser(ws, "user");
    const b = await createUser(ws, "user");
    const hookA = (await callJson(path(), { token: a.token, body: { url: "https://a.example.com/" } })).body;
    const hookB = (await callJson(path(), { token: b.token, body: { url: "https://b.example.com/" } })).body;
    const mine = await callJson(path(), { token: a.token });
    expect(mine.body).toMatchObject({ count: 1, next: null, previous: null, results: [{ id: hookA.id }] });
    const all = await callJson(path(), { token: admin.token });
    expect(all.body.results.map((h: { id: number }) => h.id)).toEqual(expect.arrayContaining([hookA.id, hookB.id]));
    for (const [method, body] of [["GET"], ["PATCH", { is_active: false }], ["DELETE"], ["POST", undefined, "rotate_secret/"]] as const) {
      const res = await callJson(path(`${hookB.id}/${method === "POST" ? "rotate_secret/" : ""}`), { method, token: a.token, body });
      expect([method, res.status, res.body]).toEqual([method, 404, { detail: "Not found." }]);
    }
    expect(
      (await callJson(path(`${hookB.id}/`), { method: "PATCH", token: admin.token, body: { on_assigned: false } })).body.on_assigned,
    ).toBe(false);
  });

  it("refuses URLs that are not public https, naming why", async () => {
    const user = await createUser(ws, "user");
    const cases = {
      "http://crm.example.com/": "Only https URLs are allowed.",
      "https://169.254.169.254/latest/": "The address 169.254.169.254 is not a public address (linkLocal).",
      "https://[::ffff:127.0.0.1]/": "The address ::ffff:7f00:1 is not a public address (ipv4Mapped).",
      "https://metadata.google.internal/": "The host metadata.google.internal is not a public address.",
      "https://u:p@crm.example.com/": "Credentials in the URL are not allowed; use a query parameter such as ?auth= instead.",
    };
    for (const [url, reason] of Object.entries(cases)) {
      const res = await callJson(path(), { token: user.token, body: { url } });
      expect([url, res.status, res.body]).toEqual([url, 400, { url: [reason] }]);
    }
    expect((await callJson(path(), { token: user.token, body: {} })).body).toEqual({ url: ["This field is required."] });
    expect((await callJson(path(), { token: user.token, body: { url: "https://x.example.com/", on_assigned: "yes" } })).status).toBe(400);
  });

  it("replaces, updates, rotates and deletes", async () => {
    const user = await createUser(ws, "app");
    const hook = (await callJson(path(), { token: user.token, body: { url: "https://crm.example.com/1" } })).body;
    const put = await callJson(path(`${hook.id}/`), {
      method: "PUT",
      token: user.token,
      body: { url: "https://crm.example.com/2", on_incoming_message: false },
    });
    expect(put.body).toMatchObject({ url: "https://crm.example.com/2", on_incoming_message: false, on_outgoing_message: true });
    expect((await callJson(path(`${hook.id}/`), { method: "PUT", token: user.token, body: { on_assigned: false } })).body).toEqual({
      url: ["This field is required."],
    });
    const rotated = await callJson(path(`${hook.id}/rotate_secret/`), { method: "POST", token: user.token });
    expect(rotated.status).toBe(200);
    expect(rotated.body.secret).toMatch(/^whsec_/);
    expect(rotated.body.secret).not.toBe(hook.secret);
    const deleted = await callJson(path(`${hook.id}/`), { method: "DELETE", token: user.token });
    expect(deleted.status).toBe(204);
    expect((await callJson(path(`${hook.id}/`), { token: user.token })).status).toBe(404);
  });

  it("lets admins create a webhook for another user (a bot), and nobody else", async () => {
    const bot = await createUser(ws, "app");
    const other = await createUser(ws, "user");
    const refused = await callJson(path(), { token: other.token, body: { url: "https://x.example.com/", user: bot.id } });
    expect(refused).toMatchObject({ status: 403, body: { detail: "Only admins can create a webhook for another user." } });
    const made = await callJson(path(), {
      token: admin.token,
      body: { url: "https://bot.example.com/", user: bot.id, on_incoming_message: false },
    });
    expect(made.body).toMatchObject({ user: { id: bot.id }, on_incoming_message: false });
    const foreign = await callJson(path(), { token: admin.token, body: { url: "https://x.example.com/", user: 999_999 } });
    expect(foreign).toMatchObject({ status: 400, body: { user: ['Invalid pk "999999" - object does not exist.'] } });
  });
});
