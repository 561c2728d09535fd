import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { forgetInboxes } from "../../src/services/inbox-cache";
import { encryptJson } from "../../src/services/secrets";
import { call, callJson, platform } from "../helpers/api";
import { createWorkspace } from "../helpers/factories";

describe("platform API", () => {
  it("needs the platform key", async () => {
    expect(await callJson("/platform/v1/workspaces")).toMatchObject({ status: 401, body: { detail: "Invalid platform API key." } });
    const wrong = await callJson("/platform/v1/workspaces", { headers: { authorization: "Bearer nope" } });
    expect(wrong.status).toBe(401);
  });

  it("creates, lists and retrieves workspaces", async () => {
    const created = await platform("/workspaces", { body: { name: "Acme" } });
    expect(created).toMatchObject({ status: 201, body: { id: expect.any(String), name: "Acme" } });
    expect((await platform(`/workspaces/${created.body.id}`)).body.name).toBe("Acme");
    const list = await platform("/workspaces?limit=1000");
    expect(list.body.results.map((w: any) => w.id)).toContain(created.body.id);
    expect((await platform(`/workspaces/${crypto.randomUUID()}`)).status).toBe(404);
    expect(await platform("/workspaces", { body: { name: "" } })).toMatchObject({ status: 400, body: { name: [expect.any(String)] } });
  });

  it("validates each provider's config and never returns secrets", async () => {
    const ws = await platform("/workspaces", { body: { name: "Providers" } });
    const path = `/workspaces/${ws.body.id}/inboxes`;
    const missing = await platform(path, { body: { name: "Meta", provider: "cloud", config: { phone_number_id: "123" } } });
    expect(missing.status).toBe(400);
    expect(Object.keys(missing.body.config).sort()).toEqual(["access_token", "app_secret", "verify_token"]);
    const unknown = await platform(path, { body: { name: "X", provider: "telegram" } });
    expect(unknown.status).toBe(400);
    expect(Object.keys(unknown.body)).toEqual(["provider"]);

    const secret = "EAAG-very-secret-access-token";
    const cloud = await platform(path, {
      body: {
        name: "Meta",
        provider: "cloud",
        phone_number: "+49 151 12345678",
        config: {
          phone_number_id: "123",
          access_token: secret,
          app_secret: "s3cr3t-app",
          verify_token: "v-token",
          api_base_url: "https://graph.stub.test/v21.0",
        },
      },
    });
    expect(cloud.status).toBe(201);
    expect(cloud.body).toMatchObject({
      provider: "cloud",
      phone_number: "4915112345678",
      config: { phone_number_id: "123", api_base_url: "https://graph.stub.test/v21.0" },
      secrets_set: ["access_token", "app_secret", "verify_token"],
      webhook_url: `http://switchboard.test/webhooks/whatsapp/${cloud.body.id}`,
    });
    expect(JSON.stringify(cloud.body)).not.toContain(secret);
    const row = await env.DB.prepare("SELECT config, secrets FROM inboxes WHERE id = ?")
      .bind(cloud.body.id)
      .first<{ config: string; secrets: string }>();
    expect(`${row?.config}${row?.secrets}`).not.toContain(secret);
    expect(row?.secrets).toMatch(/^v1\./);

    const listed = await platform(path);
    expect(JSON.stringify(listed.body)).not.toContain(secret);
    expect(listed.body.count).toBe(1);
  });

  it("PATCH merges config over the stored secrets and rejects a taken hostname", async () => {
    const a = await createWorkspace({ provider: "360dialog", config: { api_key: "key-one" } });
    const patched = await platform(`/workspaces/${a.id}/inboxes/${a.inboxId}`, {
      method: "PATCH",
      body: { name: "Renamed", config: { api_base_url: "https://d360.stub.test" }, hostname: `${a.inboxId.slice(0, 8)}.example.com` },
    });
    expect(patched).toMatchObject({
      status: 200,
      body: { name: "Renamed", secrets_set: ["api_key"], config: { api_base_url: "https://d360.stub.test" } },
    });
    const b = await createWorkspace();
    const taken = await platform(`/workspaces/${b.id}/inboxes/${b.inboxId}`, {
      method: "PATCH",
      body: { hostname: patched.body.hostname },
    });
    expect(taken).toMatchObject({ status: 400, body: { hostname: ["An inbox with this hostname already exists."] } });
    const switchProvider = await platform(`/workspaces/${b.id}/inboxes/${b.inboxId}`, { method: "PATCH", body: { provider: "onprem" } });
    expect(switchProvider).toMatchObject({ status: 400, body: { config: { api_base_url: ["This field is required."] } } });
    const foreign = await platform(`/workspaces/${b.id}/inboxes/${a.inboxId}`, { method: "PATCH", body: { name: "x" } });
    expect(foreign.status).toBe(404);
  });

  it("lists an inbox whose secrets another SECRET_KEY stored, says why its provider calls fail, and takes them again", async () => {
    const a = await createWorkspace({ provider: "360dialog", config: { api_key: "key-one", verify_token: "verify-one" } });
    // As after SECRET_KEY changed: the stored secrets were sealed with another key.
    const sealed = await encryptJson("another-secret-key-0123456789abcdef", { api_key: "key-one", verify_token: "verify-one" });
    await env.DB.prepare("UPDATE inboxes SET secrets = ? WHERE id = ?").bind(sealed, a.inboxId).run();
    forgetInboxes();
    const path = `/workspaces/${a.id}/inboxes/${a.inboxId}`;
    expect((await platform(`/workspaces/${a.id}/inboxes`)).body.results).toMatchObject([{ id: a.inboxId, secrets_set: [] }]);
    const handshake = `/webhooks/whatsapp/${a.inboxId}?hub.mode=subscribe&hub.verify_token=verify-one&hub.challenge=42`;
    const refused = await call(handshake);
    expect(refused.status).toBe(500);
    expect(((await refused.json()) as { detail: string }).detail).toMatch(
      /^Stored secrets cannot be decrypted with this deployment's SECRET_KEY .*PATCH \/platform\/v1\/workspaces\/\{id\}\/inboxes\/\{inboxId\}/,
    );
    // A PATCH merges over no secrets (it cannot read the old ones), so sending them again repairs the inbox.
    const repaired = await platform(path, { method: "PATCH", body: { config: { api_key: "key-two", verify_token: "verify-two" } } });
    expect(repaired).toMatchObject({ status: 200, body: { secrets_set: ["api_key", "verify_token"] } });
    forgetInboxes();
    const answered = await call(handshake.replace("verify-one", "verify-two"));
    expect(answered.status).toBe(200);
    expect(await answered.text()).toBe("42");
  });

  it("creates active users with validated passwords", async () => {
    const ws = await createWorkspace();
    const weak = await platform(`/workspaces/${ws.id}/users`, { body: { username: "peter", password: "peter" } });
    expect(weak.status).toBe(400);
    expect(weak.body.password).toEqual(expect.arrayContaining(["This password is too short. It must contain at least 8 characters."]));
    const ok = await platform(`/workspaces/${ws.id}/users`, { body: { username: "peter", password: "a-good-password", role: "admin" } });
    expect(ok).toMatchObject({ status: 201, body: { username: "peter", profile: { role: "admin" } } });
    const token = await callJson(`${ws.prefix}/auth/token/`, { body: { username: "peter", password: "a-good-password" } });
    expect(token.status).toBe(200);
  });
});
