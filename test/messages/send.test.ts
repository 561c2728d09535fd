import { runDurableObjectAlarm } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { HttpResponse, http } from "msw";
import { describe, expect, it } from "vitest";
import { callJson } from "../helpers/api";
import { createUser, createWorkspace, inboxShard } from "../helpers/factories";
import { upstream } from "../helpers/upstream";
import { APP_SECRET, cloudEnvelope, contact, postWebhook, textMessage, VERIFY_TOKEN } from "../helpers/whatsapp";

const CUSTOMER = "4915100000042";
const GRAPH = "https://graph.stub.test/v21.0";

async function withCustomer(provider: "sandbox" | "cloud" = "sandbox", lastMessageAt = Math.floor(Date.now() / 1000) - 60) {
  const config =
    provider === "cloud"
      ? { phone_number_id: "PNID", access_token: "EAAG-token", app_secret: APP_SECRET, verify_token: VERIFY_TOKEN, api_base_url: GRAPH }
      : { app_secret: APP_SECRET, verify_token: VERIFY_TOKEN };
  const ws = await createWorkspace({ provider, config });
  const admin = await createUser(ws, "admin");
  await postWebhook(
    ws.inboxId,
    cloudEnvelope({ contacts: [contact(CUSTOMER, "Cleo")], messages: [textMessage(CUSTOMER, "hi there", lastMessageAt)] }),
  );
  return { ws, admin };
}

const sent = async (inboxId: string) =>
  (await inboxShard(inboxId))
    .prepare("SELECT wamid, type, from_us, sender_user_id, payload, statuses FROM messages WHERE inbox_id = ? AND from_us = 1")
    .bind(inboxId)
    .all<any>();

describe("POST /api/v1/messages/", () => {
  it("sends the seed's curl body (type inferred) through the sandbox and stores it as from_us", async () => {
    const { ws, admin } = await withCustomer();
    const res = await callJson(`${ws.prefix}/messages/`, { token: admin.token, body: { wa_id: CUSTOMER, text: { body: "Hello!" } } });
    expect(res.status).toBe(201);
    const id = res.body.waba_response.messages[0].id;
    expect(id).toMatch(/^wamid\.sandbox\./);
    const list = await callJson(`${ws.prefix}/messages/?wa_id=${CUSTOMER}`, { token: admin.token });
    expect(list.body.results[0]).toMatchObject({
      id,
      from_us: true,
      sender: { id: admin.id, username: admin.username },
      waba_payload: { to: CUSTOMER, type: "text", text: { body: "Hello!" }, id },
    });
  });

  it("simulates sent, delivered and read for sandbox messages with the inbox object's alarm", async () => {
    const { ws, admin } = await withCustomer();
    const res = await callJson(`${ws.prefix}/messages/`, {
      token: admin.token,
      body: { wa_id: CUSTOMER, type: "text", text: { body: "status?" } },
    });
    expect(res.status).toBe(201);
    const stub = env.INBOX.get(env.INBOX.idFromName(ws.inboxId));
    // Due times are seconds after sending; run the alarm until every status is applied.
    for (let i = 0; i < 10; i++) {
      const [row] = (await sent(ws.inboxId)).results;
      if (Object.keys(JSON.parse(row.statuses)).length === 3) break;
      await new Promise((r) => setTimeout(r, 500));
      await runDurableObjectAlarm(stub);
    }
    const [row] = (await sent(ws.inboxId)).results;
    expect(Object.keys(JSON.parse(row.statuses)).sort()).toEqual(["delivered", "read", "sent"]);
  }, 15_000);

  it("refuses free-form messages outside the 24-hour window but sends templates", async () => {
    const { ws, admin } = await withCustomer("sandbox", Math.floor(Date.now() / 1000) - 25 * 3600);
    const text = await callJson(`${ws.prefix}/messages/`, { token: admin.token, body: { wa_id: CUSTOMER, text: { body: "late" } } });
    expect(text.status).toBe(400);
    expect(text.body.detail).toMatch(/24-hour customer service window is closed/);
    const fresh = await callJson(`${ws.prefix}/messages/`, {
      token: admin.token,
      body: { wa_id: "4915100000777", text: { body: "cold" } },
    });
    expect(fresh.status).toBe(400);
    const template = await callJson(`${ws.prefix}/messages/`, {
      token: admin.token,
      body: { wa_id: CUSTOMER, type: "template", template: { name: "order_update", language: { code: "en" } } },
    });
    expect(template.status).toBe(201);
    expect((await sent(ws.inboxId)).results.map((r: any) => r.type)).toEqual(["template"]);
  });

  it("validates each type by its own schema", async () => {
    const { ws, admin } = await withCustomer();
    const cases: [unknown, Record<string, unknown>][] = [
      [{ wa_id: CUSTOMER, type: "text", text: { body: "x".repeat(4097) } }, { text: { body: [expect.any(String)] } }],
      [{ wa_id: CUSTOMER, type: "image", image: {} }, { image: [expect.stringMatching(/exactly one/)] }],
      [{ wa_id: CUSTOMER, type: "location", location: { latitude: 91, longitude: 0 } }, { location: { latitude: [expect.any(String)] } }],
      [{ wa_id: CUSTOMER, type: "text" }, { text: ['This field is required for type "text".'] }],
      [{ wa_id: CUSTOMER }, { type: ["This field is required."] }],
      [{ type: "text", text: { body: "x" } }, { wa_id: ["This field is required."] }],
      [{ wa_id: CUSTOMER, type: "fax", fax: {} }, { type: [expect.any(String)] }],
    ];
    for (const [body, error] of cases) {
      const res = await callJson(`${ws.prefix}/messages/`, { token: admin.token, body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body).toMatchObject(error);
    }
    expect((await sent(ws.inboxId)).results).toEqual([]);
  });

  it("forbids users without write permission on the chat", async () => {
    const { ws } = await withCustomer();
    const agent = await createUser(ws, "user");
    const denied = await callJson(`${ws.prefix}/messages/`, { token: agent.token, body: { wa_id: CUSTOMER, text: { body: "hi" } } });
    expect(denied).toMatchObject({ status: 403, body: { detail: "You may not write to this chat." } });
    await ws.shard
      .prepare("UPDATE chats SET assigned_to_user = ? WHERE inbox_id = ? AND wa_id = ?")
      .bind(agent.id, ws.inboxId, CUSTOMER)
      .run();
    const allowed = await callJson(`${ws.prefix}/messages/`, { token: agent.token, body: { wa_id: CUSTOMER, text: { body: "hi" } } });
    expect(allowed.status).toBe(201);
  });

  it("sends the Cloud API's exact request, and answers upstream errors with 502 storing nothing", async () => {
    const { ws, admin } = await withCustomer("cloud");
    const seen: { auth: string | null; body: unknown }[] = [];
    upstream.use(
      http.post(`${GRAPH}/PNID/messages`, async ({ request }) => {
        seen.push({ auth: request.headers.get("authorization"), body: await request.json() });
        return HttpResponse.json({
          messaging_product: "whatsapp",
          contacts: [{ input: CUSTOMER, wa_id: CUSTOMER }],
          messages: [{ id: "wamid.CLOUD1" }],
        });
      }),
    );
    const ok = await callJson(`${ws.prefix}/messages/`, {
      token: admin.token,
      body: { wa_id: CUSTOMER, type: "text", text: { body: "From the cloud" }, context: { message_id: "wamid.prev" } },
    });
    expect(ok).toMatchObject({ status: 201, body: { waba_response: { messages: [{ id: "wamid.CLOUD1" }] } } });
    expect(seen).toEqual([
      {
        auth: "Bearer EAAG-token",
        body: {
          messaging_product: "whatsapp",
          recipient_type: "individual",
          to: CUSTOMER,
          type: "text",
          text: { body: "From the cloud" },
          context: { message_id: "wamid.prev" },
        },
      },
    ]);

    upstream.use(
      http.post(`${GRAPH}/PNID/messages`, () =>
        HttpResponse.json({ error: { message: "(#131030) Recipient not in allowed list", code: 131030 } }, { status: 400 }),
      ),
    );
    const failed = await callJson(`${ws.prefix}/messages/`, { token: admin.token, body: { wa_id: CUSTOMER, text: { body: "nope" } } });
    expect(failed).toMatchObject({ status: 502, body: { waba_response: { error: { code: 131030 } } } });
    expect((await sent(ws.inboxId)).results.map((r: any) => r.wamid)).toEqual(["wamid.CLOUD1"]);
  });

  it("applies a status that arrived before the send call returned", async () => {
    const { ws, admin } = await withCustomer("cloud");
    upstream.use(
      http.post(`${GRAPH}/PNID/messages`, async () => {
        // The status webhook overtakes the API answer.
        await postWebhook(ws.inboxId, cloudEnvelope({ statuses: [{ id: "wamid.RACE", status: "delivered", timestamp: "1700000000" }] }));
        return HttpResponse.json({ messaging_product: "whatsapp", contacts: [], messages: [{ id: "wamid.RACE" }] });
      }),
    );
    expect(
      (await callJson(`${ws.prefix}/messages/`, { token: admin.token, body: { wa_id: CUSTOMER, text: { body: "race" } } })).status,
    ).toBe(201);
    const [row] = (await sent(ws.inboxId)).results;
    expect(JSON.parse(row.statuses)).toEqual({ delivered: 1700000000 });
  });
});

describe("POST /api/v1/messages/ with media", () => {
  it("uploads our media to the provider and sends the provider's id; the stored message links to our copy", async () => {
    const { ws, admin } = await withCustomer("cloud");
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);
    const uploaded = await callJson(`${ws.prefix}/media/`, {
      token: admin.token,
      body: { file_encoded: btoa(String.fromCharCode(...png)) },
    });
    expect(uploaded.status).toBe(201);
    const sentBodies: any[] = [];
    upstream.use(
      http.post(`${GRAPH}/PNID/media`, async ({ request }) => {
        const form = await request.formData();
        const file = form.get("file") as File;
        expect(new Uint8Array(await file.arrayBuffer())).toEqual(png);
        return HttpResponse.json({ id: "meta-media-9" });
      }),
      http.post(`${GRAPH}/PNID/messages`, async ({ request }) => {
        sentBodies.push(await request.json());
        return HttpResponse.json({ messaging_product: "whatsapp", contacts: [], messages: [{ id: "wamid.IMG" }] });
      }),
    );
    const res = await callJson(`${ws.prefix}/messages/`, {
      token: admin.token,
      body: { wa_id: CUSTOMER, type: "image", image: { id: uploaded.body.id, caption: "look" } },
    });
    expect(res.status).toBe(201);
    expect(sentBodies[0].image).toEqual({ id: "meta-media-9", caption: "look" });
    const list = await callJson(`${ws.prefix}/messages/?wa_id=${CUSTOMER}&limit=1`, { token: admin.token });
    expect(list.body.results[0].waba_payload.image.link).toBe(`http://switchboard.test${ws.prefix}/media/${uploaded.body.id}/`);
  });
});
