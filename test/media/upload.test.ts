import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { mediaLimit, sniffMimeType } from "../../src/routes/media/file";
import { call, callJson, ORIGIN } from "../helpers/api";
import { createUser, createWorkspace, type TestUser, type TestWorkspace } from "../helpers/factories";
import { ascii, base64, bytesOf, JPEG, MB, MP4, PNG, readAll, sha256Hex, uploadMultipart, WEBP } from "./support";

let ws: TestWorkspace;
let user: TestUser;
beforeAll(async () => {
  ws = await createWorkspace();
  user = await createUser(ws, "user");
});

const upload = (body: unknown, token = user.token) => callJson(`${ws.prefix}/media/`, { body, token });

describe("POST /media/", () => {
  it("stores base64 JSON, sniffs its type, and GET returns the identical bytes", async () => {
    const bytes = bytesOf(3000, PNG);
    const res = await upload({ file_encoded: base64(bytes) });

    expect(res.status).toBe(201);
    expect(res.body).toEqual({ id: expect.stringMatching(/^[0-9a-f-]{36}$/), file: `${ORIGIN}${ws.prefix}/media/${res.body.id}/` });
    const got = await call(res.body.file, { token: user.token });
    expect(got.status).toBe(200);
    expect(got.headers.get("content-type")).toBe("image/png");
    expect(got.headers.get("content-length")).toBe("3000");
    expect(got.headers.get("cache-control")).toBe("private");
    expect(got.headers.get("x-content-type-options")).toBe("nosniff");
    expect(await readAll(got)).toEqual(bytes);
  });

  it("stores a multipart file with the part's type and name, with sha256 and filename in R2", async () => {
    const bytes = bytesOf(5000, ascii("OggS"));
    // The part's own type wins over `mime_type`.
    const part = new File([bytes], "voice.opus", { type: "audio/ogg; codecs=opus" });
    const res = await uploadMultipart(ws.prefix, user.token, part, { mime_type: "application/pdf" });
    const body = (await res.json()) as { id: string; file: string };

    expect(res.status).toBe(201);
    const object = await env.MEDIA.get(`${ws.inboxId}/${body.id}`);
    expect(object?.httpMetadata?.contentType).toBe("audio/ogg; codecs=opus");
    expect(object?.customMetadata).toEqual({ sha256: await sha256Hex(bytes), filename: "voice.opus" });
    const got = await call(body.file, { token: user.token });
    expect(got.headers.get("content-type")).toBe("audio/ogg; codecs=opus");
    expect(await readAll(got)).toEqual(bytes);
  });

  it("takes mime_type (over sniffing) and filename from a form-urlencoded body", async () => {
    const bytes = bytesOf(40, PNG);
    const form = new URLSearchParams({ file_encoded: base64(bytes), mime_type: "text/plain", filename: "notes.txt" });
    const res = await callJson(`${ws.prefix}/media/`, { method: "POST", raw: form, token: user.token });

    expect(res.status).toBe(201);
    const object = await env.MEDIA.get(`${ws.inboxId}/${res.body.id}`);
    expect(object?.httpMetadata?.contentType).toBe("text/plain");
    expect(object?.customMetadata?.filename).toBe("notes.txt");
  });

  it("sniffs a multipart part sent as application/octet-stream, and falls back to it for unknown bytes", async () => {
    const pdf = await uploadMultipart(
      ws.prefix,
      user.token,
      new File([bytesOf(100, ascii("%PDF-1.7"))], "x", { type: "application/octet-stream" }),
    );
    const unknown = await upload({ file_encoded: base64(bytesOf(100, ascii("zzzz"))) });

    const types = await Promise.all(
      [((await pdf.json()) as { file: string }).file, unknown.body.file].map(
        async (url) => (await call(url, { token: user.token })).headers.get("content-type") as string,
      ),
    );
    expect(types).toEqual(["application/pdf", "application/octet-stream"]);
  });

  it("takes a data URL's type", async () => {
    const res = await upload({ file_encoded: `data:image/jpeg;base64,${base64(bytesOf(10, ascii("????")))}` });
    const got = await call(res.body.file, { token: user.token });
    expect(got.headers.get("content-type")).toBe("image/jpeg");
  });

  it("refuses invalid and missing base64 per field", async () => {
    expect(await upload({ file_encoded: "not base64 at all!" })).toMatchObject({
      status: 400,
      body: { file_encoded: ["The submitted data is not valid base64."] },
    });
    expect(await upload({ file_encoded: "" })).toMatchObject({ status: 400, body: { file_encoded: ["The submitted file is empty."] } });
    expect(await upload({ filename: "x.png" })).toMatchObject({ status: 400, body: { file_encoded: ["This field is required."] } });
    expect(await upload({ file_encoded: "aGk=", mime_type: "png" })).toMatchObject({
      status: 400,
      body: { mime_type: ["Enter a valid MIME type, e.g. image/png."] },
    });
  });
});

describe("WhatsApp's size limits", () => {
  const tooLarge = (kind: string, type: string, limit: string, size: number) =>
    `The file is too large: WhatsApp accepts ${kind} media (${type}) up to ${limit}, this file has ${size} bytes.`;

  it("image (JPEG/PNG): 5 MB", async () => {
    const res = await upload({ file_encoded: base64(bytesOf(5 * MB + 1, JPEG)) });
    expect(res).toMatchObject({ status: 413, body: { detail: tooLarge("image", "image/jpeg", "5 MB", 5 * MB + 1) } });
  });

  it("sticker (WebP): 500 KB, inclusive", async () => {
    expect((await upload({ file_encoded: base64(bytesOf(500 * 1024, WEBP)) })).status).toBe(201);
    const res = await upload({ file_encoded: base64(bytesOf(500 * 1024 + 1, WEBP)) });
    expect(res).toMatchObject({ status: 413, body: { detail: tooLarge("sticker", "image/webp", "500 KB", 500 * 1024 + 1) } });
  });

  it("audio: 16 MB", async () => {
    const res = await uploadMultipart(ws.prefix, user.token, new File([bytesOf(16 * MB + 1)], "a.mp3"), { mime_type: "audio/mpeg" });
    expect(res.status).toBe(413);
    expect(await res.json()).toEqual({ detail: tooLarge("audio", "audio/mpeg", "16 MB", 16 * MB + 1) });
  });

  it("video: 16 MB", async () => {
    const res = await uploadMultipart(ws.prefix, user.token, new File([bytesOf(16 * MB + 1, MP4)], "v.mp4"));
    expect(res.status).toBe(413);
    expect(await res.json()).toEqual({ detail: tooLarge("video", "video/mp4", "16 MB", 16 * MB + 1) });
  });

  it("document (anything else): 100 MB", () => {
    // Sending 100 MB through the test runner is not worth it; the class and its limit are what matters.
    expect([mediaLimit("application/pdf"), mediaLimit("image/gif"), mediaLimit("application/zip")]).toEqual([100 * MB, 100 * MB, 100 * MB]);
    expect([mediaLimit("image/png"), mediaLimit("image/webp"), mediaLimit("audio/ogg"), mediaLimit("video/3gpp")]).toEqual([
      5 * MB,
      500 * 1024,
      16 * MB,
      16 * MB,
    ]);
  });

  it("sniffs the formats WhatsApp uses", () => {
    const sniff = (header: number[]) => sniffMimeType(bytesOf(32, header));
    expect(sniff(JPEG)).toBe("image/jpeg");
    expect(sniff(PNG)).toBe("image/png");
    expect(sniff(WEBP)).toBe("image/webp");
    expect(sniff(ascii("GIF89a"))).toBe("image/gif");
    expect(sniff(MP4)).toBe("video/mp4");
    expect(sniff([0, 0, 0, 0x20, ...ascii("ftypM4A ")])).toBe("audio/mp4");
    expect(sniff(ascii("OggS"))).toBe("audio/ogg");
    expect(sniff(ascii("ID3"))).toBe("audio/mpeg");
    expect(sniff([0xff, 0xfb])).toBe("audio/mpeg");
    expect(sniff(ascii("%PDF-"))).toBe("application/pdf");
    expect(sniff(ascii("PK"))).toBeUndefined();
  });
});

describe("raw uploads", () => {
  it("streams a raw body to R2 with its type, name and digest", async () => {
    const ws = await createWorkspace();
    const admin = await createUser(ws, "admin");
    const bytes = new Uint8Array(300_000).map((_, i) => (i * 31) & 0xff);
    const res = await call(`${ws.prefix}/media/?filename=report.pdf`, {
      method: "POST",
      raw: bytes,
      token: admin.token,
      headers: { "content-type": "application/pdf", "content-length": String(bytes.byteLength) },
    });
    expect(res.status).toBe(201);
    const { id } = (await res.json()) as { id: string };
    const got = await call(`${ws.prefix}/media/${id}/`, { token: admin.token });
    expect(got.headers.get("content-type")).toBe("application/pdf");
    expect(new Uint8Array(await got.arrayBuffer())).toEqual(bytes);
    const digest = Array.from(new Uint8Array(await crypto.subtle.digest("SHA-256", bytes)), (b) => b.toString(16).padStart(2, "0")).join(
      "",
    );
    const row = await ws.shard.prepare("SELECT sha256, filename, size FROM media WHERE id = ?").bind(id).first();
    expect(row).toEqual({ sha256: digest, filename: "report.pdf", size: 300_000 });
    const tooBig = await callJson(`${ws.prefix}/media/`, {
      method: "POST",
      raw: new Uint8Array(10),
      token: admin.token,
      headers: { "content-type": "image/png", "content-length": String(6 * 1024 * 1024) },
    });
    expect(tooBig.status).toBe(413);
  });
});
