import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { HttpResponse, http } from "msw";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { createDb } from "../../src/db/client";
import { getMedia } from "../../src/db/queries/media";
import { consumeQueue, DEAD_LETTER_QUEUE, retryDelay } from "../../src/queues/consumer";
import { call, callJson } from "../helpers/api";
import { createUser, createWorkspace, type TestUser, type TestWorkspace } from "../helpers/factories";
import { upstream } from "../helpers/upstream";
import { recording } from "../providers/record";
import { base64, bytesOf, JPEG, readAll, sha256Hex } from "./support";

const GRAPH = "https://graph.stub.test/v21.0";
const FILES = "https://lookaside.stub.test/attachments/";
const TOKEN = "EAAG-stub-token";

let ws: TestWorkspace;
let user: TestUser;
beforeAll(async () => {
  ws = await createWorkspace({
    provider: "cloud",
    config: { phone_number_id: "106540352242922", access_token: TOKEN, app_secret: "s", verify_token: "v", api_base_url: GRAPH },
  });
  user = await createUser(ws, "admin");
});

let n = 0;
const newId = () => `${Date.now()}${n++}`;

/** A Cloud API inbox's media endpoints: the info (with the digest Meta claims), then the file. */
function stubMedia(mediaId: string, bytes: Uint8Array, claimed: string, status = 200) {
  const info = recording(() =>
    HttpResponse.json({
      messaging_product: "whatsapp",
      url: `${FILES}?mid=${mediaId}`,
      mime_type: "image/jpeg",
      sha256: claimed,
      id: mediaId,
    }),
  );
  const file = recording(() =>
    status === 200 ? new HttpResponse(bytes, { headers: { "content-type": "image/jpeg" } }) : new HttpResponse("boom", { status }),
  );
  upstream.use(http.get(`${GRAPH}/${mediaId}`, info.handler), http.get(FILES, file.handler));
  return { info, file };
}

const jobMessage = (body: unknown, attempts = 1, id = `msg-${n++}`) => ({ id, timestamp: Date.now(), attempts, body });

async function run(messages: ReturnType<typeof jobMessage>[], queue = "switchboard-deliveries") {
  const batch = createMessageBatch(queue, messages);
  const retries = batch.messages.map((m) => vi.spyOn(m, "retry"));
  const ctx = createExecutionContext();
  await consumeQueue(batch, env);
  const result = await getQueueResult(batch, ctx);
  return { ...result, retryArgs: retries.map((r) => r.mock.calls) };
}

const row = (mediaId: string) => getMedia(createDb(env), ws.inboxId, mediaId);

describe("media queue consumer", () => {
  it("downloads with the inbox's token, checks the digest, stores in R2 and acks", async () => {
    const id = newId();
    const bytes = bytesOf(2048, JPEG);
    const hex = await sha256Hex(bytes);
    const stub = stubMedia(id, bytes, hex);
    // The job's digest is base64 (as webhooks carry it), the media info's is hex: both must match.
    const digestB64 = base64(new Uint8Array(await crypto.subtle.digest("SHA-256", bytes)));

    const result = await run([jobMessage({ type: "media", inboxId: ws.inboxId, mediaId: id, sha256: digestB64 }, 1, "m1")]);

    expect(result.explicitAcks).toEqual(["m1"]);
    expect(result.retryMessages).toEqual([]);
    expect(stub.info.requests[0]?.headers.get("authorization")).toBe(`Bearer ${TOKEN}`);
    const object = await env.MEDIA.get(`${ws.inboxId}/${id}`);
    expect(object?.httpMetadata?.contentType).toBe("image/jpeg");
    expect(new Uint8Array(await object!.arrayBuffer())).toEqual(bytes);
    expect(await row(id)).toMatchObject({ state: "stored", sha256: hex, size: 2048, attempts: 1, lastError: null });
    const got = await call(`${ws.prefix}/media/${id}/`, { token: user.token });
    expect(got.headers.get("content-type")).toBe("image/jpeg");
    expect(await readAll(got)).toEqual(bytes);

    // A duplicate delivery acks without calling upstream again (an unhandled request would fail it).
    upstream.resetHandlers();
    expect((await run([jobMessage({ type: "media", inboxId: ws.inboxId, mediaId: id }, 1, "m2")])).explicitAcks).toEqual(["m2"]);
    // A late dead letter for it never turns a stored file into a failed one.
    vi.spyOn(console, "error").mockImplementationOnce(() => {});
    await run([jobMessage({ type: "media", inboxId: ws.inboxId, mediaId: id })], DEAD_LETTER_QUEUE);
    expect(await row(id)).toMatchObject({ state: "stored", lastError: null });
  });

  it("retries with backoff on a sha256 mismatch and records the failure", async () => {
    const id = newId();
    stubMedia(id, bytesOf(100, JPEG), "00".repeat(32));

    const result = await run([jobMessage({ type: "media", inboxId: ws.inboxId, mediaId: id }, 2, "m3")]);

    expect(result.explicitAcks).toEqual([]);
    expect(result.retryMessages).toEqual([{ msgId: "m3" }]);
    expect(result.retryArgs).toEqual([[[{ delaySeconds: 20 }]]]);
    expect(await row(id)).toMatchObject({
      state: "failed",
      attempts: 1,
      lastError: expect.stringMatching(/^sha256 mismatch: expected 0{64}/),
    });
    expect(await env.MEDIA.head(`${ws.inboxId}/${id}`)).toBeNull();
    const got = await callJson(`${ws.prefix}/media/${id}/`, { token: user.token });
    expect(got.status).toBe(502);
    expect(got.body.detail).toMatch(/^The provider's media could not be downloaded: sha256 mismatch/);
  });

  it("retries an upstream 500 (delay capped at an hour) and succeeds on a later attempt", async () => {
    const id = newId();
    const bytes = bytesOf(300, JPEG);
    stubMedia(id, bytes, await sha256Hex(bytes), 500);
    const job = { type: "media", inboxId: ws.inboxId, mediaId: id };

    const failed = await run([jobMessage(job, 10, "m4")]);
    expect(failed.retryArgs).toEqual([[[{ delaySeconds: 3600 }]]]);
    expect(await row(id)).toMatchObject({ state: "failed", attempts: 1, lastError: "Provider error 500: boom" });

    stubMedia(id, bytes, await sha256Hex(bytes));
    expect((await run([jobMessage(job, 11, "m5")])).explicitAcks).toEqual(["m5"]);
    expect(await row(id)).toMatchObject({ state: "stored", attempts: 2, lastError: null });
  });

  it("retries (never acks) a body that is not a job, and handles the rest of the batch", async () => {
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    const result = await run([
      jobMessage({ type: "nope" }, 1, "bad"),
      jobMessage({ type: "media", inboxId: crypto.randomUUID(), mediaId: "1" }, 1, "gone"),
    ]);

    expect(result.retryMessages).toEqual([{ msgId: "bad" }]);
    expect(result.retryArgs[0]).toEqual([[]]);
    // An inbox that no longer exists has no media left to fetch: logged and acked.
    expect(result.explicitAcks).toEqual(["gone"]);
    expect(errors.mock.calls.flat().join(" ")).toMatch(/not a job/);
    errors.mockRestore();
  });

  it("dead letters: marks the media failed for good, keeping the last error, and acks", async () => {
    const id = newId();
    stubMedia(id, bytesOf(10, JPEG), "x", 503);
    const job = { type: "media", inboxId: ws.inboxId, mediaId: id };
    await run([jobMessage(job)]);
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});

    const result = await run([jobMessage(job, 1, "d1"), jobMessage("garbage", 1, "d2")], DEAD_LETTER_QUEUE);

    expect(result.explicitAcks).toEqual(["d1", "d2"]);
    expect(await row(id)).toMatchObject({ state: "failed", attempts: 1, lastError: "gave up after 1 attempts: Provider error 503: boom" });
    expect((await callJson(`${ws.prefix}/media/${id}/`, { token: user.token })).body).toEqual({
      detail: "The provider's media could not be downloaded: gave up after 1 attempts: Provider error 503: boom",
    });
    expect(errors).toHaveBeenCalled();
    errors.mockRestore();
  });

  it("backs off exponentially from 10 seconds to an hour", () => {
    expect([1, 2, 3, 9, 10, 20].map(retryDelay)).toEqual([10, 20, 40, 2560, 3600, 3600]);
  });
});
