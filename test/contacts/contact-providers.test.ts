import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { encryptJson } from "../../src/services/secrets";
import { callJson, platform } from "../helpers/api";
import { createUser, createWorkspace, type TestUser, type TestWorkspace } from "../helpers/factories";

let ws: TestWorkspace;
let admin: TestUser;
let agent: TestUser;
beforeAll(async () => {
  ws = await createWorkspace();
  admin = await createUser(ws, "admin");
  agent = await createUser(ws, "user");
});
const path = (suffix = "") => `${ws.prefix}/contact_providers/${suffix}`;
const TOKEN = "directory-token-never-shown";
const directory = { type: "http", name: "CRM", config: { url: "https://directory.example.test/contacts", token: TOKEN } };

describe("contact providers", () => {
  it("are connected, listed, changed and disconnected by admins; the token is write-only", async () => {
    const made = await callJson(path(), { token: admin.token, body: directory });
    expect(made).toMatchObject({
      status: 201,
      body: {
        id: expect.any(Number),
        type: "http",
        name: "CRM",
        config: { url: "https://directory.example.test/contacts" },
        secrets_set: ["token"],
      },
    });
    expect(Object.keys(made.body).sort()).toEqual(["config", "id", "name", "secrets_set", "type"]);
    const own = await callJson(path(), { token: admin.token, body: { type: "switchboard", name: "Own book" } });
    expect(own).toMatchObject({ status: 201, body: { type: "switchboard", name: "Own book", config: {}, secrets_set: [] } });

    const list = await callJson(path(), { token: admin.token });
    expect(list.body).toMatchObject({ count: 2, next: null, previous: null });
    expect(list.body.results).toEqual([made.body, own.body]);
    expect((await callJson(path(`${made.body.id}/`), { token: admin.token })).body).toEqual(made.body);

    const renamed = await callJson(path(`${made.body.id}/`), { method: "PATCH", token: admin.token, body: { name: "Sales CRM" } });
    expect(renamed).toMatchObject({ status: 200, body: { name: "Sales CRM", config: made.body.config, secrets_set: ["token"] } });
    const moved = await callJson(path(`${made.body.id}/`), {
      method: "PATCH",
      token: admin.token,
      body: { config: { url: "https://other.example.test/people" } },
    });
    expect(moved.body).toMatchObject({ config: { url: "https://other.example.test/people" }, secrets_set: ["token"] });
    const untokened = await callJson(path(`${made.body.id}/`), { method: "PATCH", token: admin.token, body: { config: { token: null } } });
    expect(untokened.body).toMatchObject({ config: { url: "https://other.example.test/people" }, secrets_set: [] });
    const switched = await callJson(path(`${made.body.id}/`), { method: "PATCH", token: admin.token, body: { type: "switchboard" } });
    expect(switched.body).toMatchObject({ type: "switchboard", config: {}, secrets_set: [] });

    for (const res of [made, own, list, renamed, moved, untokened, switched]) expect(JSON.stringify(res.body)).not.toContain(TOKEN);
    // At rest the token is sealed, not stored in the clear.
    const stored = await env.DB.prepare("SELECT config, secrets FROM contact_providers WHERE inbox_id = ?").bind(ws.inboxId).all();
    expect(JSON.stringify(stored.results)).not.toContain(TOKEN);

    expect((await callJson(path(`${own.body.id}/`), { method: "DELETE", token: admin.token })).status).toBe(204);
    expect((await callJson(path(`${own.body.id}/`), { token: admin.token })).status).toBe(404);
    expect((await callJson(path(`${made.body.id}/`), { method: "DELETE", token: admin.token })).status).toBe(204);
  });

  it("sealed under another SECRET_KEY are listed without secrets and take them again through a PATCH", async () => {
    const made = await callJson(path(), { token: admin.token, body: directory });
    const sealed = await encryptJson("another-secret-key-0123456789abcdef", { token: TOKEN });
    await env.DB.prepare("UPDATE contact_providers SET secrets = ? WHERE id = ?").bind(sealed, made.body.id).run();
    expect((await callJson(path(`${made.body.id}/`), { token: admin.token })).body).toMatchObject({ secrets_set: [] });
    const repaired = await callJson(path(`${made.body.id}/`), {
      method: "PATCH",
      token: admin.token,
      body: { config: { token: "new-token" } },
    });
    expect(repaired).toMatchObject({ status: 200, body: { config: { url: directory.config.url }, secrets_set: ["token"] } });
    expect((await callJson(path(`${made.body.id}/`), { method: "DELETE", token: admin.token })).status).toBe(204);
  });

  it("validate the type, the name and the config per type, with exact bodies", async () => {
    const cases: [unknown, unknown][] = [
      [{}, { type: ["This field is required."], name: ["This field is required."] }],
      [{ type: "google", name: "G" }, { type: ['"google" is not a valid choice.'] }],
      [{ type: "switchboard", name: "  " }, { name: ["This field may not be blank."] }],
      [{ type: "http", name: "CRM" }, { config: { url: ["This field is required."] } }],
      [
        { type: "http", name: "CRM", config: { url: "http://directory.example.test/" } },
        { config: { url: ["Only https URLs are allowed."] } },
      ],
      [
        { type: "http", name: "CRM", config: { url: "https://127.0.0.1/contacts" } },
        { config: { url: ["The address 127.0.0.1 is not a public address (loopback)."] } },
      ],
      [
        { type: "http", name: "CRM", config: { url: "https://directory.example.test/", token: "" } },
        { config: { token: ["This field may not be blank."] } },
      ],
      [
        { type: "switchboard", name: "Own", config: { url: "https://x.example.test/" } },
        { config: { non_field_errors: ["Unknown field(s): url."] } },
      ],
    ];
    for (const [body, error] of cases) {
      const res = await callJson(path(), { token: admin.token, body });
      expect([res.status, res.body]).toEqual([400, error]);
    }
    const made = await callJson(path(), { token: admin.token, body: directory });
    const patched = await callJson(path(`${made.body.id}/`), { method: "PATCH", token: admin.token, body: { config: { url: null } } });
    expect([patched.status, patched.body]).toEqual([400, { config: { url: ["This field is required."] } }]);
    await callJson(path(`${made.body.id}/`), { method: "DELETE", token: admin.token });
  });

  it("are refused to regular users, reads included", async () => {
    const made = await callJson(path(), { token: admin.token, body: directory });
    const forbidden = { detail: "You do not have permission to perform this action." };
    for (const [method, target, body] of [
      ["GET", path(), undefined],
      ["POST", path(), directory],
      ["GET", path(`${made.body.id}/`), undefined],
      ["PATCH", path(`${made.body.id}/`), { name: "Mine now" }],
      ["DELETE", path(`${made.body.id}/`), undefined],
    ] as const) {
      const res = await callJson(target, { method, token: agent.token, body });
      expect([method, res.status, res.body]).toEqual([method, 403, forbidden]);
    }
    expect((await callJson(path(`${made.body.id}/`), { token: admin.token })).body.name).toBe("CRM");
    await callJson(path(`${made.body.id}/`), { method: "DELETE", token: admin.token });
  });

  it("of another inbox, even of the same workspace, are 404s, as are malformed ids", async () => {
    const second = await platform(`/workspaces/${ws.id}/inboxes`, { body: { name: "Second", provider: "sandbox", config: {} } });
    expect(second.status).toBe(201);
    const elsewhere = `/inboxes/${second.body.id}/api/v1/contact_providers/`;
    const theirs = await callJson(elsewhere, { token: admin.token, body: directory });
    expect(theirs.status).toBe(201);
    for (const method of ["GET", "PATCH", "DELETE"]) {
      const res = await callJson(path(`${theirs.body.id}/`), {
        method,
        token: admin.token,
        body: method === "PATCH" ? { name: "x" } : undefined,
      });
      expect([method, res.status, res.body]).toEqual([method, 404, { detail: "Not found." }]);
    }
    expect((await callJson(path(), { token: admin.token })).body.results.map((r: { id: number }) => r.id)).not.toContain(theirs.body.id);
    expect((await callJson(path("abc/"), { token: admin.token })).status).toBe(404);
    expect((await callJson(`${elsewhere}${theirs.body.id}/`, { token: admin.token })).body.name).toBe("CRM");
  });
});
