import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { createDb } from "../../src/db/client";
import { getMedia, markMediaFailed } from "../../src/db/queries/media";
import { enqueueMediaFetch } from "../../src/queues/jobs";
import { callJson } from "../helpers/api";
import { createUser, createWorkspace, type TestUser, type TestWorkspace } from "../helpers/factories";

let ws: TestWorkspace;
let user: TestUser;
beforeAll(async () => {
  ws = await createWorkspace();
  user = await createUser(ws, "admin");
});

/** The real queue would hand the jobs to the Worker's consumer; here the bodies are only recorded. */
function recordingEnv() {
  const sent: unknown[][] = [];
  const fake = { ...env, DELIVERIES: { sendBatch: async (messages: { body: unknown }[]) => void sent.push(messages.map((m) => m.body)) } };
  return { env: fake as unknown as Env, sent };
}

describe("enqueueMediaFetch", () => {
  it("records pending rows and queues exactly the ids", async () => {
    const queue = recordingEnv();

    await enqueueMediaFetch(queue.env, [{ inboxId: ws.inboxId, mediaId: "3001", sha256: "abc", mimeType: "image/jpeg" }]);

    expect(queue.sent).toEqual([[{ type: "media", inboxId: ws.inboxId, mediaId: "3001", sha256: "abc", mimeType: "image/jpeg" }]]);
    expect(await getMedia(createDb(env), ws.inboxId, "3001")).toMatchObject({ state: "pending", mimeType: "image/jpeg", sha256: "abc" });
    expect((await callJson(`${ws.prefix}/media/3001/`, { token: user.token })).status).toBe(409);
  });

  it("makes a failed download pending again, and sends at most 100 jobs per batch", async () => {
    const db = createDb(env);
    await markMediaFailed(db, ws.inboxId, "4000", "Provider error 500: boom");
    const queue = recordingEnv();
    const jobs = Array.from({ length: 130 }, (_, i) => ({ inboxId: ws.inboxId, mediaId: String(4000 + i) }));

    await enqueueMediaFetch(queue.env, jobs);

    expect(queue.sent.map((b) => b.length)).toEqual([100, 30]);
    expect(await getMedia(db, ws.inboxId, "4000")).toMatchObject({ state: "pending", attempts: 1 });
    expect(await getMedia(db, ws.inboxId, "4129")).toMatchObject({ state: "pending", attempts: 0 });
  });

  it("refuses a job without a media id before writing anything", async () => {
    await expect(enqueueMediaFetch(recordingEnv().env, [{ inboxId: ws.inboxId, mediaId: "" }])).rejects.toThrow();
  });
});
