import { describe, expect, it } from "vitest";
import { ProviderError, providerFor } from "../../src/providers/provider";

// No upstream handlers: any request would fail the test (onUnhandledRequest: "error").
const sandbox = providerFor({ id: "inbox-sandbox", provider: "sandbox", config: {}, secrets: {} });

describe("sandbox provider", () => {
  it("answers a send like Cloud, with a generated wamid", async () => {
    const result = await sandbox.sendMessage({ to: "+49 151 12345678", type: "text", text: { body: "Hi" } });

    expect(result.id).toMatch(/^wamid\.sandbox\.[0-9a-f]{32}$/);
    expect(result.response).toEqual({
      messaging_product: "whatsapp",
      contacts: [{ input: "+49 151 12345678", wa_id: "4915112345678" }],
      messages: [{ id: result.id }],
    });
  });

  it("generates a new id per message", async () => {
    const a = await sandbox.sendMessage({ to: "1", type: "text", text: { body: "a" } });
    const b = await sandbox.sendMessage({ to: "1", type: "text", text: { body: "b" } });
    expect(a.id).not.toBe(b.id);
  });

  it("gives uploads a uuid", async () => {
    const { id } = await sandbox.uploadMedia({ bytes: new ArrayBuffer(1), mimeType: "image/png" });
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it("has no upstream media to download", async () => {
    const error = await sandbox.downloadMedia("anything").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ status: 404 });
  });
});
