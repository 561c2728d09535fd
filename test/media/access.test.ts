import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { createDb } from "../../src/db/client";
import { markMediaFailed, upsertPendingMedia } from "../../src/db/queries/media";
import { call, callJson, platform } from "../helpers/api";
import { createUser, createWorkspace, type TestUser, type TestWorkspace } from "../helpers/factories";
import { base64, bytesOf, PNG } from "./support";

let ws: TestWorkspace;
let user: TestUser;
let foreign: TestUser;
let mediaId: string;
beforeAll(async () => {
  ws = await createWorkspace();
  user = await createUser(ws, "admin");
  foreign = await createUser(await createWorkspace(), "admin");
  const res = await callJson(`${ws.prefix}/media/`, { body: { file_encoded: base64(bytesOf(64, PNG)) }, token: user.token });
  if (res.status !== 201) throw new Error(`upload: ${res.status} ${JSON.stringify(res.body)}`);
  mediaId = res.body.id;
});

const NOT_FOUND = { status: 404, body: { detail: "Not found." } };

describe("media access", () => {
  it("needs a credential to upload or read", async () => {
    const none = { detail: "Authentication credentials were not provided." };
    expect(await callJson(`${ws.prefix}/media/`, { body: { file_encoded: "aGk=" } })).toMatchObject({ status: 403, body: none });
    expect(await callJson(`${ws.prefix}/media/${mediaId}/`)).toMatchObject({ status: 403, body: none });
  });

  it("answers another workspace's token like a missing inbox", async () => {
    expect(await callJson(`${ws.prefix}/media/${mediaId}/`, { token: foreign.token })).toMatchObject(NOT_FOUND);
    expect(await callJson(`${ws.prefix}/media/`, { body: { file_encoded: "aGk=" }, token: foreign.token })).toMatchObject(NOT_FOUND);
  });

  it("does not serve one inbox's media through another inbox of the same workspace", async () => {
    const other = await platform(`/workspaces/${ws.id}/inboxes`, {
      body: { name: "Second", provider: "sandbox", phone_number: "+4915112345679", config: {} },
    });
    expect(other.status).toBe(201);
    expect(await callJson(`/inboxes/${other.body.id}/api/v1/media/${mediaId}/`, { token: user.token })).toMatchObject(NOT_FOUND);
    expect((await call(`${ws.prefix}/media/${mediaId}/`, { token: user.token })).status).toBe(200);
  });

  it("answers unknown and malformed ids with 404", async () => {
    expect(await callJson(`${ws.prefix}/media/${crypto.randomUUID()}/`, { token: user.token })).toMatchObject(NOT_FOUND);
    expect(await callJson(`${ws.prefix}/media/a%2Fb/`, { token: user.token })).toMatchObject(NOT_FOUND);
  });

  it("tells a pending download (409) and a failed one (502, with the reason) apart from a missing file", async () => {
    const db = createDb(env);
    await upsertPendingMedia(db, ws.inboxId, [{ id: "1111" }, { id: "2222" }]);
    await markMediaFailed(db, ws.inboxId, "2222", "Provider error 404: media expired");

    expect(await callJson(`${ws.prefix}/media/1111/`, { token: user.token })).toMatchObject({
      status: 409,
      body: { detail: "Media is still being downloaded from the provider." },
    });
    expect(await callJson(`${ws.prefix}/media/2222/`, { token: user.token })).toMatchObject({
      status: 502,
      body: { detail: "The provider's media could not be downloaded: Provider error 404: media expired" },
    });
  });
});
