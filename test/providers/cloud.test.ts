import { HttpResponse, http } from "msw";
import { describe, expect, it } from "vitest";
import { ProviderError, type ProviderInbox, providerFor } from "../../src/providers/provider";
import { upstream } from "../helpers/upstream";
import { headersOf, recording } from "./record";

const GRAPH = "https://graph.facebook.com/v21.0";
const inbox: ProviderInbox = {
  id: "inbox-cloud",
  provider: "cloud",
  config: { phone_number_id: "106540352242922" },
  secrets: { access_token: "EAAG-test-token", app_secret: "app-secret", verify_token: "verify" },
};
const sent = {
  messaging_product: "whatsapp",
  contacts: [{ input: "+4915112345678", wa_id: "4915112345678" }],
  messages: [{ id: "wamid.HBgNNDkxNTExMjM0NTY3OBUCABEYEjQ" }],
};

describe("cloud provider", () => {
  it("sends a message with messaging_product and the bearer token", async () => {
    const rec = recording(() => HttpResponse.json(sent));
    upstream.use(http.post(`${GRAPH}/106540352242922/messages`, rec.handler));

    const result = await providerFor(inbox).sendMessage({ to: "+4915112345678", type: "text", text: { body: "Hi" } });

    expect(result).toEqual({ id: "wamid.HBgNNDkxNTExMjM0NTY3OBUCABEYEjQ", response: sent });
    expect(rec.requests).toHaveLength(1);
    const [request] = rec.requests;
    expect(request?.method).toBe("POST");
    expect(headersOf(request)).toEqual({ authorization: "Bearer EAAG-test-token", "content-type": "application/json" });
    expect(await request?.json()).toEqual({
      messaging_product: "whatsapp",
      recipient_type: "individual",
      to: "+4915112345678",
      type: "text",
      text: { body: "Hi" },
    });
  });

  it("keeps the client's recipient_type and context, and uses a configured base URL", async () => {
    const rec = recording(() => HttpResponse.json(sent));
    upstream.use(http.post("https://graph.example.test/v20.0/106540352242922/messages", rec.handler));
    const custom = { ...inbox, config: { ...inbox.config, api_base_url: "https://graph.example.test/v20.0/" } };

    await providerFor(custom).sendMessage({
      to: "group-1",
      recipient_type: "group",
      type: "text",
      text: { body: "x" },
      context: { message_id: "wamid.1" },
    });

    expect(await rec.requests[0]?.json()).toEqual({
      messaging_product: "whatsapp",
      recipient_type: "group",
      to: "group-1",
      type: "text",
      text: { body: "x" },
      context: { message_id: "wamid.1" },
    });
  });

  it("converts a legacy hsm message into a Cloud template message", async () => {
    const rec = recording(() => HttpResponse.json(sent));
    upstream.use(http.post(`${GRAPH}/106540352242922/messages`, rec.handler));

    await providerFor(inbox).sendMessage({
      to: "4915112345678",
      type: "hsm",
      hsm: {
        namespace: "c8ae5f90_307a_ca4c_b8f6_d1e2a2573574",
        element_name: "order_shipped",
        language: { policy: "deterministic", code: "de" },
        localizable_params: [{ default: "Anna" }, { default: "€12.50", currency: { currency_code: "EUR", amount_1000: 12500 } }],
      },
    });

    expect(await rec.requests[0]?.json()).toEqual({
      messaging_product: "whatsapp",
      recipient_type: "individual",
      to: "4915112345678",
      type: "template",
      template: {
        name: "order_shipped",
        language: { code: "de" },
        components: [
          {
            type: "body",
            parameters: [
              { type: "text", text: "Anna" },
              { type: "text", text: "€12.50" },
            ],
          },
        ],
      },
    });
  });

  it("uploads media as multipart with messaging_product, type and file", async () => {
    const rec = recording(() => HttpResponse.json({ id: "1037543291543636" }));
    upstream.use(http.post(`${GRAPH}/106540352242922/media`, rec.handler));
    const bytes = await new Blob(["%PDF-1.4 test"]).arrayBuffer();

    const result = await providerFor(inbox).uploadMedia({ bytes, mimeType: "application/pdf", filename: "invoice.pdf" });

    expect(result).toEqual({ id: "1037543291543636" });
    const request = rec.requests[0]!;
    expect(request.headers.get("authorization")).toBe("Bearer EAAG-test-token");
    expect(request.headers.get("content-type")).toMatch(/^multipart\/form-data; boundary=/);
    const form = await request.formData();
    expect([...form.keys()]).toEqual(["messaging_product", "type", "file"]);
    expect(form.get("messaging_product")).toBe("whatsapp");
    expect(form.get("type")).toBe("application/pdf");
    const file = form.get("file") as File;
    expect(file.name).toBe("invoice.pdf");
    expect(file.type).toBe("application/pdf");
    expect(await file.text()).toBe("%PDF-1.4 test");
  });

  it("downloads media through the media info's url, with the bearer token on both requests", async () => {
    const fileUrl = "https://lookaside.fbsbx.com/whatsapp_business/attachments/?mid=1037543291543636&ext=1700000000&hash=ATu";
    const info = recording(() =>
      HttpResponse.json({
        messaging_product: "whatsapp",
        url: fileUrl,
        mime_type: "image/jpeg",
        sha256: "f0e1d2c3",
        file_size: 4,
        id: "1037543291543636",
      }),
    );
    const file = recording(() => new HttpResponse(new Uint8Array([1, 2, 3, 4]), { headers: { "Content-Type": "image/jpeg" } }));
    upstream.use(
      http.get(`${GRAPH}/1037543291543636`, info.handler),
      http.get("https://lookaside.fbsbx.com/whatsapp_business/attachments/", file.handler),
    );

    const media = await providerFor(inbox).downloadMedia("1037543291543636");

    expect([...new Uint8Array(media.bytes)]).toEqual([1, 2, 3, 4]);
    expect(media.mimeType).toBe("image/jpeg");
    expect(media.sha256).toBe("f0e1d2c3");
    expect(headersOf(info.requests[0])).toEqual({ authorization: "Bearer EAAG-test-token" });
    expect(file.requests[0]?.url).toBe(fileUrl);
    expect(headersOf(file.requests[0])).toEqual({ authorization: "Bearer EAAG-test-token" });
  });

  it("encodes the media id so it cannot address another Graph path", async () => {
    const rec = recording(() => HttpResponse.json({ error: { message: "nope" } }, { status: 404 }));
    upstream.use(http.get(/^https:\/\/graph\.facebook\.com\//, rec.handler));

    await expect(providerFor(inbox).downloadMedia("../me/accounts")).rejects.toBeInstanceOf(ProviderError);
    expect(rec.requests[0]?.url).toBe(`${GRAPH}/..%2Fme%2Faccounts`);
  });

  it("passes an upstream 4xx on as ProviderError with the upstream's body", async () => {
    const body = { error: { message: "(#131030) Recipient phone number not in allowed list", type: "OAuthException", code: 131030 } };
    upstream.use(http.post(`${GRAPH}/106540352242922/messages`, () => HttpResponse.json(body, { status: 400 })));

    const error = await providerFor(inbox)
      .sendMessage({ to: "1", type: "text", text: { body: "x" } })
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ status: 400, body });
  });

  it("keeps a non-JSON error body as text", async () => {
    upstream.use(http.post(`${GRAPH}/106540352242922/messages`, () => new HttpResponse("Service Unavailable", { status: 503 })));

    await expect(providerFor(inbox).sendMessage({ to: "1", type: "text", text: { body: "x" } })).rejects.toMatchObject({
      status: 503,
      body: "Service Unavailable",
    });
  });

  it("turns a network failure into ProviderError 502", async () => {
    upstream.use(http.post(`${GRAPH}/106540352242922/messages`, () => HttpResponse.error()));

    await expect(providerFor(inbox).sendMessage({ to: "1", type: "text", text: { body: "x" } })).rejects.toMatchObject({
      status: 502,
      body: { error: { message: "graph.facebook.com is unreachable." } },
    });
  });

  it("rejects a success answer without a message id as 502", async () => {
    upstream.use(http.post(`${GRAPH}/106540352242922/messages`, () => HttpResponse.json({ messaging_product: "whatsapp", messages: [] })));

    await expect(providerFor(inbox).sendMessage({ to: "1", type: "text", text: { body: "x" } })).rejects.toMatchObject({ status: 502 });
  });

  it("rejects an invalid hsm before calling upstream", async () => {
    await expect(providerFor(inbox).sendMessage({ to: "1", type: "hsm", hsm: { namespace: "n" } })).rejects.toMatchObject({ status: 400 });
  });

  it("refuses an inbox without phone_number_id or access token", () => {
    expect(() => providerFor({ ...inbox, config: {} })).toThrow(ProviderError);
    expect(() => providerFor({ ...inbox, secrets: {} })).toThrow(/access_token/);
  });
});
