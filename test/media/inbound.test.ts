import { HttpResponse, http } from "msw";
import { describe, expect, it } from "vitest";
import { call, callJson } from "../helpers/api";
import { createUser, createWorkspace } from "../helpers/factories";
import { upstream } from "../helpers/upstream";
import { APP_SECRET, cloudEnvelope, postWebhook, VERIFY_TOKEN } from "../helpers/whatsapp";
import { bytesOf, JPEG, sha256Hex } from "./support";

const GRAPH = "https://graph.stub.test/v21.0";

describe("inbound media", () => {
  it("is fetched from the provider as soon as the webhook arrives, checked, stored in R2 and served by our link", async () => {
    const ws = await createWorkspace({
      provider: "cloud",
      config: {
        phone_number_id: "PNID",
        access_token: "EAAG-token",
        app_secret: APP_SECRET,
        verify_token: VERIFY_TOKEN,
        api_base_url: GRAPH,
      },
    });
    const admin = await createUser(ws, "admin");
    const bytes = bytesOf(2048, JPEG);
    const sha256 = await sha256Hex(bytes);
    upstream.use(
      http.get(`${GRAPH}/media-in-1`, () =>
        HttpResponse.json({ url: "https://lookaside.stub.test/file?mid=1", mime_type: "image/jpeg", sha256, id: "media-in-1" }),
      ),
      http.get("https://lookaside.stub.test/file", ({ request }) =>
        request.headers.get("authorization") === "Bearer EAAG-token"
          ? new HttpResponse(bytes, { headers: { "content-type": "image/jpeg" } })
          : new HttpResponse(null, { status: 401 }),
      ),
    );
    const message = {
      from: "4915100000050",
      id: "wamid.img.1",
      timestamp: String(Math.floor(Date.now() / 1000)),
      type: "image",
      image: { id: "media-in-1", mime_type: "image/jpeg", sha256 },
    };
    expect((await postWebhook(ws.inboxId, cloudEnvelope({ messages: [message] }))).status).toBe(200);

    let res: Response | undefined;
    for (let i = 0; i < 40; i++) {
      res = await call(`${ws.prefix}/media/media-in-1/`, { token: admin.token });
      if (res.status === 200) break;
      expect([409, 502]).toContain(res.status);
      await res.arrayBuffer();
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(res?.status).toBe(200);
    expect(res?.headers.get("content-type")).toBe("image/jpeg");
    expect(new Uint8Array(await res!.arrayBuffer())).toEqual(bytes);
  }, 20_000);
});

describe("who may read media", () => {
  it("follows the chat: readers of the chat and the uploader, nobody else", async () => {
    const ws = await createWorkspace({ config: { app_secret: APP_SECRET, verify_token: VERIFY_TOKEN } });
    const admin = await createUser(ws, "admin");
    const agent = await createUser(ws, "user");
    const other = await createUser(ws, "user");
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 9, 9]);
    const uploaded = await callJson(`${ws.prefix}/media/`, {
      token: agent.token,
      body: { file_encoded: btoa(String.fromCharCode(...png)) },
    });
    expect(uploaded.status).toBe(201);
    const path = `${ws.prefix}/media/${uploaded.body.id}/`;
    expect((await call(path, { token: agent.token })).status).toBe(200);
    expect((await call(path, { token: admin.token })).status).toBe(200);
    expect((await call(path, { token: other.token })).status).toBe(404);

    // Sent in a chat assigned to `other`: now they may read it too.
    await postWebhook(
      ws.inboxId,
      cloudEnvelope({
        messages: [
          { from: "4915100000070", id: "wamid.m70", timestamp: String(Math.floor(Date.now() / 1000)), type: "text", text: { body: "hi" } },
        ],
      }),
    );
    await ws.shard
      .prepare("UPDATE chats SET assigned_to_user = ? WHERE inbox_id = ? AND wa_id = ?")
      .bind(other.id, ws.inboxId, "4915100000070")
      .run();
    // Sending shares a file: `other` may write to the chat but may not read the upload, so may not send it.
    const refused = await callJson(`${ws.prefix}/messages/`, {
      token: other.token,
      body: { wa_id: "4915100000070", type: "image", image: { id: uploaded.body.id } },
    });
    expect(refused).toMatchObject({ status: 400, body: { detail: `Media ${uploaded.body.id} is not available.` } });
    const sent = await callJson(`${ws.prefix}/messages/`, {
      token: admin.token,
      body: { wa_id: "4915100000070", type: "image", image: { id: uploaded.body.id } },
    });
    expect(sent.status).toBe(201);
    expect((await call(path, { token: other.token })).status).toBe(200);
  });
});
