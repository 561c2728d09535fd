import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { call, callJson, platform } from "../helpers/api";
import { createUser, createWorkspace } from "../helpers/factories";

describe("hardening", () => {
  it("counts concurrent login guesses atomically: a burst gets five tries, then 429", async () => {
    const ws = await createWorkspace();
    const user = await createUser(ws, "user");
    const burst = await Promise.all(
      Array.from({ length: 15 }, (_, i) =>
        callJson(`${ws.prefix}/auth/token/`, { body: { username: user.username, password: `guess-${i}-wrong` } }),
      ),
    );
    const statuses = burst.map((r) => r.status);
    expect(statuses.filter((s) => s === 400).length).toBeLessThanOrEqual(5);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(10);
  });

  it("answers a username race with one 201 and one 400, never a 500", async () => {
    const ws = await createWorkspace();
    const admin = await createUser(ws, "admin");
    const results = await Promise.all(
      [1, 2, 3].map(() => callJson(`${ws.prefix}/users/`, { token: admin.token, body: { username: "samename", email: "s@example.com" } })),
    );
    expect(results.map((r) => r.status).sort()).toEqual([201, 400, 400]);
    expect(results.find((r) => r.status === 400)?.body).toEqual({ username: ["A user with that username already exists."] });
    const renamed = await callJson(`${ws.prefix}/users/${admin.id}/`, {
      method: "PATCH",
      token: admin.token,
      body: { username: "samename" },
    });
    expect(renamed).toMatchObject({ status: 400, body: { username: ["A user with that username already exists."] } });
    const dup = await platform(`/workspaces/${ws.id}/users`, { body: { username: "samename", password: "long-enough-pw" } });
    expect(dup.status).toBe(400);
  });

  it("refuses oversized login form fields without storing them", async () => {
    const ws = await createWorkspace();
    const page = await call(`/inboxes/${ws.inboxId}/login/`);
    const csrf = /csrftoken=([0-9a-f]+)/.exec(page.headers.get("set-cookie") ?? "")![1]!;
    const res = await call(`/inboxes/${ws.inboxId}/login/`, {
      raw: new URLSearchParams({ username: "u".repeat(5000), password: "x", csrfmiddlewaretoken: csrf }),
      headers: { cookie: `csrftoken=${csrf}`, "content-type": "application/x-www-form-urlencoded" },
    });
    expect(res.status).toBe(400);
    const rows = await env.DB.prepare("SELECT count(*) AS n FROM login_failures WHERE workspace_id = ?").bind(ws.id).first<{ n: number }>();
    expect(rows?.n).toBe(0);
  });
});
