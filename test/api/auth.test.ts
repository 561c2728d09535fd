import { env } from "cloudflare:workers";
import { HttpResponse, http } from "msw";
import { describe, expect, it } from "vitest";
import { call, callJson, platform } from "../helpers/api";
import { createUser, createWorkspace } from "../helpers/factories";
import { upstream } from "../helpers/upstream";

describe("POST /api/v1/auth/token/", () => {
  it("returns a 40-hex token, the same one on every login, stored only as a hash", async () => {
    const ws = await createWorkspace();
    const user = await createUser(ws, "user");
    expect(user.token).toMatch(/^[0-9a-f]{40}$/);
    const again = await callJson(`${ws.prefix}/auth/token/`, { body: { username: user.username, password: user.password } });
    expect(again).toMatchObject({ status: 200, body: { token: user.token } });
    const rows = await env.DB.prepare("SELECT * FROM tokens WHERE user_id = ?").bind(user.id).all();
    expect(rows.results).toHaveLength(1);
    expect(JSON.stringify(rows.results)).not.toContain(user.token);
  });

  it("accepts form-urlencoded and multipart bodies", async () => {
    const ws = await createWorkspace();
    const user = await createUser(ws, "user");
    const form = await callJson(`${ws.prefix}/auth/token/`, {
      raw: new URLSearchParams({ username: user.username, password: user.password }),
    });
    expect(form).toMatchObject({ status: 200, body: { token: user.token } });
    const multipart = new FormData();
    multipart.set("username", user.username);
    multipart.set("password", user.password);
    expect(await callJson(`${ws.prefix}/auth/token/`, { raw: multipart })).toMatchObject({ status: 200, body: { token: user.token } });
  });

  it("answers wrong credentials and missing fields in Django REST style", async () => {
    const ws = await createWorkspace();
    const user = await createUser(ws, "user");
    const wrong = await callJson(`${ws.prefix}/auth/token/`, { body: { username: user.username, password: "nope-nope-nope" } });
    expect(wrong).toMatchObject({ status: 400, body: { non_field_errors: ["Unable to log in with provided credentials."] } });
    const missing = await callJson(`${ws.prefix}/auth/token/`, { body: { username: user.username } });
    expect(missing).toMatchObject({ status: 400, body: { password: ["This field is required."] } });
    const typed = await callJson(`${ws.prefix}/auth/token/`, { body: { username: 5, password: [] } });
    expect(typed.status).toBe(400);
    expect(Object.keys(typed.body).sort()).toEqual(["password", "username"]);
  });

  it("locks a username after five failures with 429 and Retry-After, even for the right password", async () => {
    const ws = await createWorkspace();
    const user = await createUser(ws, "user");
    for (let i = 0; i < 5; i++) {
      const res = await callJson(`${ws.prefix}/auth/token/`, { body: { username: user.username, password: `wrong-${i}-password` } });
      expect(res.status).toBe(400);
    }
    const locked = await callJson(`${ws.prefix}/auth/token/`, { body: { username: user.username, password: user.password } });
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get("retry-after"))).toBeGreaterThan(800);
    expect(locked.body.detail).toMatch(/Too many failed login attempts/);
    // Another user of the same workspace is unaffected.
    const other = await createUser(ws, "user");
    expect((await callJson(`${ws.prefix}/auth/token/`, { body: { username: other.username, password: other.password } })).status).toBe(200);
  });

  it("refuses inactive users, and their existing tokens", async () => {
    const ws = await createWorkspace();
    const admin = await createUser(ws, "admin");
    const user = await createUser(ws, "user");
    await env.DB.prepare("UPDATE users SET is_active = 0 WHERE id = ?").bind(user.id).run();
    const login = await callJson(`${ws.prefix}/auth/token/`, { body: { username: user.username, password: user.password } });
    expect(login.status).toBe(400);
    const byToken = await callJson(`${ws.prefix}/users/current/`, { token: user.token });
    expect(byToken).toMatchObject({ status: 403, body: { detail: "User inactive or deleted." } });
    expect((await callJson(`${ws.prefix}/users/current/`, { token: admin.token })).status).toBe(200);
  });

  it("treats a malformed Authorization header as a clear 403", async () => {
    const ws = await createWorkspace();
    const res = await callJson(`${ws.prefix}/users/current/`, { headers: { authorization: "Token a b" } });
    expect(res).toMatchObject({ status: 403, body: { detail: "Invalid token header. Token string should not contain spaces." } });
  });
});

describe("addressing", () => {
  it("serves the bare /api/v1 for the first workspace's first inbox, and a mapped hostname for its inbox", async () => {
    const ws = await createWorkspace();
    const user = await createUser(ws, "admin");
    const patched = await platform(`/workspaces/${ws.id}/inboxes/${ws.inboxId}`, {
      method: "PATCH",
      body: { hostname: "crm.example.com" },
    });
    expect(patched.status).toBe(200);
    const byHost = await callJson("http://crm.example.com/api/v1/users/current/", { token: user.token });
    expect(byHost.status).toBe(200);
    expect(byHost.body.url).toBe(`http://crm.example.com/api/v1/users/${user.id}/`);
    const byPath = await callJson(`${ws.prefix}/users/current/`, { token: user.token });
    expect(byPath.body.url).toBe(`http://switchboard.test${ws.prefix}/users/${user.id}/`);
  });

  it("answers an unknown inbox and an unknown route with 404", async () => {
    expect(await callJson(`/inboxes/${crypto.randomUUID()}/api/v1/users/`)).toMatchObject({ status: 404, body: { detail: "Not found." } });
    const ws = await createWorkspace();
    expect(await callJson(`${ws.prefix}/nothing-here/`)).toMatchObject({ status: 404, body: { detail: "Not found." } });
  });
});

describe("GET /api/v1/", () => {
  it("is public, lists the API roots and sets csrftoken", async () => {
    const ws = await createWorkspace();
    const res = await call(`${ws.prefix}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get("set-cookie")).toMatch(/csrftoken=[0-9a-f]{64}; Max-Age=31449600; Path=\/; SameSite=Lax/);
    expect(await res.json()).toMatchObject({ users: `http://switchboard.test${ws.prefix}/users/` });
  });
});

function cookiesOf(res: Response): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of res.headers.getSetCookie()) {
    const [pair] = line.split(";");
    const [k, v] = (pair ?? "").split("=");
    if (k) out[k] = v ?? "";
  }
  return out;
}

describe("session auth", () => {
  async function login(ws: Awaited<ReturnType<typeof createWorkspace>>, username: string, password: string) {
    const base = `/inboxes/${ws.inboxId}`;
    const page = await call(`${base}/login/`);
    const csrf = cookiesOf(page).csrftoken!;
    expect(await page.text()).toContain(`value="${csrf}"`);
    const res = await call(`${base}/login/`, {
      raw: new URLSearchParams({ username, password, csrfmiddlewaretoken: csrf, next: "/somewhere/" }),
      headers: { cookie: `csrftoken=${csrf}`, "content-type": "application/x-www-form-urlencoded" },
    });
    return { res, csrf };
  }

  it("logs in with the form, then authenticates by cookie; unsafe methods need X-CSRFToken", async () => {
    const ws = await createWorkspace();
    const admin = await createUser(ws, "admin");
    const { res, csrf } = await login(ws, admin.username, admin.password);
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("/somewhere/");
    const session = cookiesOf(res).sessionid!;
    expect(res.headers.getSetCookie().join("\n")).toMatch(/sessionid=[0-9a-f]{40}; Max-Age=1209600; Path=\/; HttpOnly; SameSite=Lax/);
    const cookie = `sessionid=${session}; csrftoken=${csrf}`;
    const me = await callJson(`${ws.prefix}/users/current/`, { headers: { cookie } });
    expect(me).toMatchObject({ status: 200, body: { username: admin.username } });

    const body = { username: "sessioncreated", email: "s@example.com" };
    const noCsrf = await callJson(`${ws.prefix}/users/`, { body, headers: { cookie } });
    expect(noCsrf).toMatchObject({ status: 403, body: { detail: "CSRF Failed: CSRF token missing." } });
    const badCsrf = await callJson(`${ws.prefix}/users/`, { body, headers: { cookie, "x-csrftoken": "x".repeat(64) } });
    expect(badCsrf).toMatchObject({ status: 403, body: { detail: "CSRF Failed: CSRF token incorrect." } });
    const ok = await callJson(`${ws.prefix}/users/`, { body, headers: { cookie, "x-csrftoken": csrf } });
    expect(ok.status).toBe(201);

    const logout = await call(`/inboxes/${ws.inboxId}/logout/`, { method: "POST", headers: { cookie, "x-csrftoken": csrf } });
    expect(logout.status).toBe(302);
    expect((await callJson(`${ws.prefix}/users/current/`, { headers: { cookie } })).status).toBe(403);
  });

  it("rejects a login form without the CSRF token, and wrong passwords", async () => {
    const ws = await createWorkspace();
    const admin = await createUser(ws, "admin");
    const noCsrf = await call(`/inboxes/${ws.inboxId}/login/`, {
      raw: new URLSearchParams({ username: admin.username, password: admin.password }),
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    expect(noCsrf.status).toBe(403);
    expect(cookiesOf(noCsrf).sessionid).toBeUndefined();
    const { res } = await login(ws, admin.username, "wrong-password-here");
    expect(res.status).toBe(400);
    expect(await res.text()).toContain("Please enter a correct username and password.");
  });

  it("never redirects off-site after login", async () => {
    const ws = await createWorkspace();
    const admin = await createUser(ws, "admin");
    const page = await call(`/inboxes/${ws.inboxId}/login/`);
    const csrf = cookiesOf(page).csrftoken!;
    const res = await call(`/inboxes/${ws.inboxId}/login/`, {
      raw: new URLSearchParams({ username: admin.username, password: admin.password, csrfmiddlewaretoken: csrf, next: "//evil.example/" }),
      headers: { cookie: `csrftoken=${csrf}`, "content-type": "application/x-www-form-urlencoded" },
    });
    expect(res.headers.get("location")).toBe(`/inboxes/${ws.inboxId}/`);
  });
});

describe("provider auth (D360-Api-Key)", () => {
  const base = "https://d360.stub.test";
  const key = "d360-valid-key-0123456789";

  async function dialogWorkspace() {
    return createWorkspace({ provider: "360dialog", config: { api_key: key, api_base_url: base } });
  }

  it("authenticates a valid key as the first-registered active admin", async () => {
    const ws = await dialogWorkspace();
    const first = await createUser(ws, "admin");
    await createUser(ws, "admin");
    const seen: string[] = [];
    upstream.use(
      http.get(`${base}/v1/configs/webhook`, ({ request }) => {
        seen.push(request.headers.get("d360-api-key") ?? "");
        return HttpResponse.json({ url: "https://example.com/hook" });
      }),
    );
    const me = await callJson(`${ws.prefix}/users/current/`, { headers: { "D360-Api-Key": key } });
    expect(me).toMatchObject({ status: 200, body: { id: first.id, profile: { role: "admin" } } });
    expect(seen).toEqual([key]);

    // The first admin deactivated: the next admin by registration order takes over.
    await env.DB.prepare("UPDATE users SET is_active = 0 WHERE id = ?").bind(first.id).run();
    const next = await callJson(`${ws.prefix}/users/current/`, { headers: { "D360-Api-Key": key } });
    expect(next.status).toBe(200);
    expect(next.body.id).toBeGreaterThan(first.id);
  });

  it("silently falls through when the key is invalid: 403 alone, token auth still works", async () => {
    const ws = await dialogWorkspace();
    const user = await createUser(ws, "user");
    upstream.use(http.get(`${base}/v1/configs/webhook`, () => HttpResponse.json({ error: "unauthorized" }, { status: 401 })));
    const alone = await callJson(`${ws.prefix}/users/current/`, { headers: { "D360-Api-Key": key } });
    expect(alone).toEqual(expect.objectContaining({ status: 403, body: { detail: "Authentication credentials were not provided." } }));
    const other = await callJson(`${ws.prefix}/users/current/`, { headers: { "D360-Api-Key": "some-other-key" }, token: user.token });
    expect(other).toMatchObject({ status: 200, body: { id: user.id } });
  });
});
