import { HttpResponse, http } from "msw";
import { describe, expect, it } from "vitest";
import { proxiedMediaUrl } from "../../src/providers/dialog360";
import { ProviderError, type ProviderInbox, providerFor } from "../../src/providers/provider";
import { upstream } from "../helpers/upstream";
import { headersOf, recording } from "./record";

const D360 = "https://waba-v2.360dialog.io";
const inbox: ProviderInbox = { id: "inbox-360", provider: "360dialog", config: {}, secrets: { api_key: "d360-key-abc" } };
const sent = {
  messaging_product: "whatsapp",
  contacts: [{ input: "4915112345678", wa_id: "4915112345678" }],
  messages: [{ id: "wamid.HBgNNDkxNTExMjM0NTY3OBUCABEYEjM" }],
};

describe("360dialog provider", () => {
  it("sends to /messages with the D360-API-KEY header and a Cloud body", async () => {
    const rec = recording(() => HttpResponse.json(sent));
    upstream.use(http.post(`${D360}/messages`, rec.handler));

    const result = await providerFor(inbox).sendMessage({ to: "4915112345678", type: "text", text: { body: "Hallo" } });

    expect(result).toEqual({ id: "wamid.HBgNNDkxNTExMjM0NTY3OBUCABEYEjM", response: sent });
    const request = rec.requests[0];
    expect(request?.method).toBe("POST");
    expect(headersOf(request)).toEqual({ "d360-api-key": "d360-key-abc", "content-type": "application/json" });
    expect(await request?.json()).toEqual({
      messaging_product: "whatsapp",
      recipient_type: "individual",
      to: "4915112345678",
      type: "text",
      text: { body: "Hallo" },
    });
  });

  it("converts hsm to template like Cloud", async () => {
    const rec = recording(() => HttpResponse.json(sent));
    upstream.use(http.post(`${D360}/messages`, rec.handler));

    await providerFor(inbox).sendMessage({
      to: "4915112345678",
      type: "hsm",
      hsm: { namespace: "ns", element_name: "welcome", language: { policy: "deterministic", code: "en" } },
    });

    expect(await rec.requests[0]?.json()).toEqual({
      messaging_product: "whatsapp",
      recipient_type: "individual",
      to: "4915112345678",
      type: "template",
      template: { name: "welcome", language: { code: "en" } },
    });
  });

  it("uploads media as multipart to /media", async () => {
    const rec = recording(() => HttpResponse.json({ id: "media-360-1" }));
    upstream.use(http.post(`${D360}/media`, rec.handler));

    const result = await providerFor(inbox).uploadMedia({ bytes: new Uint8Array([9, 8, 7]).buffer, mimeType: "image/png" });

    expect(result).toEqual({ id: "media-360-1" });
    const request = rec.requests[0]!;
    expect(request.headers.get("d360-api-key")).toBe("d360-key-abc");
    expect(request.headers.get("authorization")).toBeNull();
    const form = await request.formData();
    expect(form.get("messaging_product")).toBe("whatsapp");
    expect(form.get("type")).toBe("image/png");
    expect([...new Uint8Array(await (form.get("file") as File).arrayBuffer())]).toEqual([9, 8, 7]);
  });

  it("downloads media from 360dialog's host instead of Meta's, keeping path and query", async () => {
    const info = recording(() =>
      HttpResponse.json({
        messaging_product: "whatsapp",
        url: "https://lookaside.fbsbx.com/whatsapp_business/attachments/?mid=123&ext=1700000000&hash=ATu",
        mime_type: "audio/ogg",
        sha256: "abc",
        file_size: 2,
        id: "123",
      }),
    );
    const file = recording(() => new HttpResponse(new Uint8Array([5, 6]), { headers: { "Content-Type": "audio/ogg" } }));
    // Meta's host is not stubbed: calling it would fail the test (onUnhandledRequest: "error").
    upstream.use(http.get(`${D360}/123`, info.handler), http.get(`${D360}/whatsapp_business/attachments/`, file.handler));

    const media = await providerFor(inbox).downloadMedia("123");

    expect(media).toEqual({ bytes: expect.any(ArrayBuffer), mimeType: "audio/ogg", sha256: "abc" });
    expect([...new Uint8Array(media.bytes)]).toEqual([5, 6]);
    expect(headersOf(info.requests[0])).toEqual({ "d360-api-key": "d360-key-abc" });
    expect(file.requests[0]?.url).toBe(`${D360}/whatsapp_business/attachments/?mid=123&ext=1700000000&hash=ATu`);
    expect(headersOf(file.requests[0])).toEqual({ "d360-api-key": "d360-key-abc" });
  });

  it("rewrites media URLs onto a configured base, prefix included", () => {
    const meta = "https://lookaside.fbsbx.com/whatsapp_business/attachments/?mid=1&hash=x";
    expect(proxiedMediaUrl("https://proxy.example.test/d360/", meta)).toBe(
      "https://proxy.example.test/d360/whatsapp_business/attachments/?mid=1&hash=x",
    );
    expect(proxiedMediaUrl(D360, meta)).toBe(`${D360}/whatsapp_business/attachments/?mid=1&hash=x`);
  });

  it("uses a configured api_base_url", async () => {
    const rec = recording(() => HttpResponse.json(sent));
    upstream.use(http.post("https://stage.360dialog.test/messages", rec.handler));

    await providerFor({ ...inbox, config: { api_base_url: "https://stage.360dialog.test" } }).sendMessage({
      to: "1",
      type: "text",
      text: { body: "x" },
    });

    expect(rec.requests).toHaveLength(1);
  });

  it("passes an upstream 401 on with its body", async () => {
    const body = { meta: { success: false, http_code: 401, developer_message: "Invalid api key" } };
    upstream.use(http.post(`${D360}/messages`, () => HttpResponse.json(body, { status: 401 })));

    const error = await providerFor(inbox)
      .sendMessage({ to: "1", type: "text", text: { body: "x" } })
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ status: 401, body });
  });

  it("turns a network failure during the media download into 502", async () => {
    upstream.use(
      http.get(`${D360}/123`, () => HttpResponse.json({ url: "https://lookaside.fbsbx.com/x/?mid=1", mime_type: "image/jpeg" })),
      http.get(`${D360}/x/`, () => HttpResponse.error()),
    );

    await expect(providerFor(inbox).downloadMedia("123")).rejects.toMatchObject({
      status: 502,
      body: { error: { message: "waba-v2.360dialog.io is unreachable." } },
    });
  });
});
