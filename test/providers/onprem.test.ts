import { HttpResponse, http } from "msw";
import { describe, expect, it } from "vitest";
import { ProviderError, type ProviderInbox, providerFor } from "../../src/providers/provider";
import { upstream } from "../helpers/upstream";
import { headersOf, recording } from "./record";

const BASE = "https://wa.example.test:9090";
let counter = 0;
/** The login cache is per inbox id and lives for the module, so every test gets its own inbox. */
const inbox = (config: Record<string, unknown>, secrets: Record<string, string>): ProviderInbox => ({
  id: `inbox-onprem-${counter++}`,
  provider: "onprem",
  config: { api_base_url: BASE, ...config },
  secrets,
});
const withToken = () => inbox({}, { auth_token: "static-token" });
const withLogin = () => inbox({ username: "admin" }, { password: "s3cret-ü" });
const text = { to: "4915112345678", type: "text", text: { body: "Hi" } };
const sent = { messages: [{ id: "gBEGkYiEB1VXAglK1ZEqA1YKPrU" }], meta: { api_status: "stable", version: "2.53.1" } };
const future = "2099-01-01 00:00:00+00:00";
// base64("admin:s3cret-ü") with ü as UTF-8
const BASIC = `Basic ${btoa("admin:s3cret-\xc3\xbc")}`;

describe("on-premises provider", () => {
  it("sends the message unchanged with the configured auth_token", async () => {
    const rec = recording(() => HttpResponse.json(sent));
    upstream.use(http.post(`${BASE}/v1/messages`, rec.handler));
    const hsm = {
      to: "4915112345678",
      type: "hsm",
      hsm: { namespace: "ns", element_name: "welcome", language: { policy: "deterministic", code: "en" }, localizable_params: [] },
    };

    const result = await providerFor(withToken()).sendMessage(hsm);

    expect(result).toEqual({ id: "gBEGkYiEB1VXAglK1ZEqA1YKPrU", response: sent });
    expect(rec.requests[0]?.method).toBe("POST");
    expect(headersOf(rec.requests[0])).toEqual({ authorization: "Bearer static-token", "content-type": "application/json" });
    expect(await rec.requests[0]?.json()).toEqual(hsm);
  });

  it("logs in with Basic auth once and reuses the token for later sends", async () => {
    const login = recording(() => HttpResponse.json({ users: [{ token: "login-token-1", expires_after: future }] }));
    const send = recording(() => HttpResponse.json(sent));
    upstream.use(http.post(`${BASE}/v1/users/login`, login.handler), http.post(`${BASE}/v1/messages`, send.handler));
    const target = withLogin();

    await providerFor(target).sendMessage(text);
    await providerFor(target).sendMessage(text);

    expect(login.requests).toHaveLength(1);
    expect(headersOf(login.requests[0])).toEqual({ authorization: BASIC });
    expect(send.requests).toHaveLength(2);
    for (const request of send.requests) expect(request.headers.get("authorization")).toBe("Bearer login-token-1");
  });

  it("shares one login between concurrent sends", async () => {
    const login = recording(() => HttpResponse.json({ users: [{ token: "t", expires_after: future }] }));
    upstream.use(
      http.post(`${BASE}/v1/users/login`, login.handler),
      http.post(`${BASE}/v1/messages`, () => HttpResponse.json(sent)),
    );
    const provider = providerFor(withLogin());

    await Promise.all([provider.sendMessage(text), provider.sendMessage(text), provider.sendMessage(text)]);

    expect(login.requests).toHaveLength(1);
  });

  it("logs in again once the token has expired", async () => {
    const login = recording(() => HttpResponse.json({ users: [{ token: "old", expires_after: "2000-01-01 00:00:00+00:00" }] }));
    upstream.use(
      http.post(`${BASE}/v1/users/login`, login.handler),
      http.post(`${BASE}/v1/messages`, () => HttpResponse.json(sent)),
    );
    const provider = providerFor(withLogin());

    await provider.sendMessage(text);
    await provider.sendMessage(text);

    expect(login.requests).toHaveLength(2);
  });

  it("renews a token the upstream rejects and retries once", async () => {
    let logins = 0;
    const login = recording(() => HttpResponse.json({ users: [{ token: `token-${++logins}`, expires_after: future }] }));
    // token-1 works for the first send only, as if the on-prem API had restarted in between.
    const send = recording(({ request }) =>
      request.headers.get("authorization") === "Bearer token-1" && send.requests.length > 1
        ? HttpResponse.json({ errors: [{ code: 1005, title: "Access denied" }] }, { status: 401 })
        : HttpResponse.json(sent),
    );
    upstream.use(http.post(`${BASE}/v1/users/login`, login.handler), http.post(`${BASE}/v1/messages`, send.handler));
    const provider = providerFor(withLogin());

    await provider.sendMessage(text); // token-1 accepted
    const result = await provider.sendMessage(text); // token-1 now rejected → login → token-2

    expect(result.id).toBe("gBEGkYiEB1VXAglK1ZEqA1YKPrU");
    expect(login.requests).toHaveLength(2);
    expect(send.requests.map((r) => r.headers.get("authorization"))).toEqual(["Bearer token-1", "Bearer token-1", "Bearer token-2"]);
  });

  it("does not retry a 401 for a configured auth_token", async () => {
    const send = recording(() => HttpResponse.json({ errors: [{ code: 1005, title: "Access denied" }] }, { status: 401 }));
    upstream.use(http.post(`${BASE}/v1/messages`, send.handler));

    await expect(providerFor(withToken()).sendMessage(text)).rejects.toMatchObject({ status: 401 });
    expect(send.requests).toHaveLength(1);
  });

  it("does not cache a failed login", async () => {
    let fail = true;
    const login = recording(() =>
      fail
        ? HttpResponse.json({ errors: [{ code: 1005, title: "Access denied" }] }, { status: 401 })
        : HttpResponse.json({ users: [{ token: "t", expires_after: future }] }),
    );
    upstream.use(
      http.post(`${BASE}/v1/users/login`, login.handler),
      http.post(`${BASE}/v1/messages`, () => HttpResponse.json(sent)),
    );
    const provider = providerFor(withLogin());

    await expect(provider.sendMessage(text)).rejects.toMatchObject({
      status: 401,
      body: { errors: [{ code: 1005, title: "Access denied" }] },
    });
    fail = false;
    await expect(provider.sendMessage(text)).resolves.toMatchObject({ id: "gBEGkYiEB1VXAglK1ZEqA1YKPrU" });
    expect(login.requests).toHaveLength(2);
  });

  it("uploads media as the raw body with its content type", async () => {
    const rec = recording(() => HttpResponse.json({ media: [{ id: "f043afd0-f0ae-4b9c-ab3d-696fb4c8cd68" }] }));
    upstream.use(http.post(`${BASE}/v1/media`, rec.handler));

    const result = await providerFor(withToken()).uploadMedia({ bytes: new Uint8Array([0xff, 0xd8, 0xff]).buffer, mimeType: "image/jpeg" });

    expect(result).toEqual({ id: "f043afd0-f0ae-4b9c-ab3d-696fb4c8cd68" });
    const request = rec.requests[0]!;
    expect(headersOf(request)).toEqual({ authorization: "Bearer static-token", "content-type": "image/jpeg" });
    expect([...new Uint8Array(await request.arrayBuffer())]).toEqual([0xff, 0xd8, 0xff]);
  });

  it("downloads media bytes with their content type", async () => {
    const rec = recording(() => new HttpResponse(new Uint8Array([1, 2, 3]), { headers: { "Content-Type": "video/mp4" } }));
    upstream.use(http.get(`${BASE}/v1/media/f043afd0-f0ae-4b9c-ab3d-696fb4c8cd68`, rec.handler));

    const media = await providerFor(withToken()).downloadMedia("f043afd0-f0ae-4b9c-ab3d-696fb4c8cd68");

    expect(media.mimeType).toBe("video/mp4");
    expect([...new Uint8Array(media.bytes)]).toEqual([1, 2, 3]);
    expect(headersOf(rec.requests[0])).toEqual({ authorization: "Bearer static-token" });
  });

  it("passes an upstream 4xx on with the on-prem error body", async () => {
    const body = { errors: [{ code: 1006, title: "Resource not found", details: "unknown contact" }], meta: { api_status: "stable" } };
    upstream.use(http.post(`${BASE}/v1/messages`, () => HttpResponse.json(body, { status: 404 })));

    const error = await providerFor(withToken())
      .sendMessage(text)
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ status: 404, body });
  });

  it("turns an unreachable login into 502", async () => {
    upstream.use(http.post(`${BASE}/v1/users/login`, () => HttpResponse.error()));

    await expect(providerFor(withLogin()).sendMessage(text)).rejects.toMatchObject({
      status: 502,
      body: { error: { message: "wa.example.test:9090 is unreachable." } },
    });
  });

  it("refuses an inbox without credentials", () => {
    expect(() => providerFor(inbox({}, {}))).toThrow(ProviderError);
    expect(() => providerFor(inbox({ username: "admin" }, {}))).toThrow(/auth_token, or username and password/);
  });
});
