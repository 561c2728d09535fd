import { describe, expect, it } from "vitest";
import { verifySignature } from "../../src/inbound/signature";

const SECRET = "app-secret-0123456789";
const BODY = JSON.stringify({ object: "whatsapp_business_account", entry: [{ id: "1", changes: [] }] });
const bytes = (text: string) => new TextEncoder().encode(text);

/** Computed independently of the module under test, straight from WebCrypto. */
async function sign(body: string, secret = SECRET): Promise<string> {
  const key = await crypto.subtle.importKey("raw", bytes(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, bytes(body)));
  return `sha256=${Array.from(mac, (b) => b.toString(16).padStart(2, "0")).join("")}`;
}

describe("verifySignature", () => {
  it("matches a published HMAC-SHA256 test vector", async () => {
    const header = "sha256=f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8";
    expect(await verifySignature(bytes("The quick brown fox jumps over the lazy dog"), header, "key")).toBe(true);
  });

  it("accepts a valid signature over a Uint8Array or an ArrayBuffer", async () => {
    const header = await sign(BODY);
    expect(await verifySignature(bytes(BODY), header, SECRET)).toBe(true);
    // What Hono's `c.req.arrayBuffer()` hands the route.
    expect(await verifySignature(await new Response(BODY).arrayBuffer(), header, SECRET)).toBe(true);
  });

  it("signs only the bytes of a Uint8Array view, not its whole buffer", async () => {
    const padded = bytes(`xx${BODY}yy`);
    expect(await verifySignature(padded.subarray(2, padded.length - 2), await sign(BODY), SECRET)).toBe(true);
  });

  it("accepts upper-case hex and surrounding whitespace", async () => {
    const header = await sign(BODY);
    expect(await verifySignature(bytes(BODY), `sha256=${header.slice(7).toUpperCase()}`, SECRET)).toBe(true);
    expect(await verifySignature(bytes(BODY), ` ${header} `, SECRET)).toBe(true);
  });

  it("rejects a tampered body", async () => {
    const header = await sign(BODY);
    expect(await verifySignature(bytes(BODY.replace('"1"', '"2"')), header, SECRET)).toBe(false);
    expect(await verifySignature(bytes(`${BODY} `), header, SECRET)).toBe(false);
  });

  it("rejects a signature made with another secret", async () => {
    expect(await verifySignature(bytes(BODY), await sign(BODY, "other-secret"), SECRET)).toBe(false);
  });

  it.each([
    ["undefined", undefined],
    ["null", null],
    ["empty", ""],
  ])("rejects a missing header (%s)", async (_name, header) => {
    expect(await verifySignature(bytes(BODY), header, SECRET)).toBe(false);
  });

  it("rejects malformed headers", async () => {
    const hex = (await sign(BODY)).slice(7);
    for (const header of [
      hex,
      `sha1=${hex}`,
      `sha256:${hex}`,
      `sha256=${hex.slice(1)}`,
      `sha256=${hex}0`,
      `sha256=${hex.slice(1)}g`,
      "sha256=",
    ]) {
      expect(await verifySignature(bytes(BODY), header, SECRET), header).toBe(false);
    }
  });

  it("rejects everything when no app secret is configured", async () => {
    expect(await verifySignature(bytes(BODY), await sign(BODY, "x"), "")).toBe(false);
  });
});
