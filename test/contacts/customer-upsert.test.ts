import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createDb } from "../../src/db/client";
import { users } from "../../src/db/schema";
import { callJson, platform } from "../helpers/api";
import { createUser, createWorkspace, type TestWorkspace } from "../helpers/factories";

const PATH = "/api/public/customer/upsert/info";
const CHANNEL = "+49 151 12345678"; // the factories' inbox number

async function keyed() {
  const ws = await createWorkspace();
  const made = await platform(`/workspaces/${ws.id}/api_keys`, { body: { name: "CRM" } });
  return { ws, key: made.body.key as string, keyId: made.body.id as string };
}
const upsert = (key: string | undefined, body: unknown) => callJson(PATH, { body, headers: key === undefined ? {} : { "x-api-key": key } });
const whatsapp = (phone: string, extra: Record<string, unknown> = {}) => ({
  channel: "whatsapp",
  channel_phone_number: CHANNEL,
  contact_phone_number: phone,
  ...extra,
});

describe("seed 003: create or find a contact", () => {
  it("creates (201) with whatsapp:<digits>, then finds (200) the same contact by any formatting of the number", async () => {
    const { ws, key } = await keyed();
    const created = await upsert(
      key,
      whatsapp("+49 170 1234567", { contact_name: "Ana", contact_email: "Ana@Example.com", meta_data: { plan: "gold", seats: 3 } }),
    );
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      name: "Ana",
      phone: "+491701234567",
      email: "ana@example.com",
      platform: "whatsapp",
      client_id: ws.id,
      ai_customer_id: created.body.id,
      created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      default_stage_id: null,
    });
    const found = await upsert(key, {
      ...whatsapp("00491701234567", { meta_data: { plan: null, region: "EU" } }),
      channel: "web-whatsapp",
    });
    expect(found.status).toBe(200);
    expect(found.body).toMatchObject({ id: created.body.id, name: "Ana", platform: "web-whatsapp", email: "ana@example.com" });
    const row = await env.DB.prepare("SELECT meta_data, modified_on, created_on FROM contacts WHERE uuid = ?").bind(created.body.id).first<{
      meta_data: string;
      modified_on: number;
      created_on: number;
    }>();
    expect(JSON.parse(row!.meta_data)).toEqual({ seats: 3, region: "EU" });
    expect(row!.modified_on).toBeGreaterThan(row!.created_on);
    // The channel may also be named by its inbox id.
    expect((await upsert(key, { ...whatsapp("491701234567"), channel_phone_number: ws.inboxId })).status).toBe(200);
  });

  it("sets the stage and the responsible agent by their UUIDs", async () => {
    const { ws, key } = await keyed();
    const agent = await createUser(ws, "user");
    const db = createDb(env);
    const { uuid } = (await db.select({ uuid: users.uuid }).from(users).all()).find(() => true)!;
    expect(uuid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4/);
    const agentUuid = (await env.DB.prepare("SELECT uuid FROM users WHERE id = ?").bind(agent.id).first<{ uuid: string }>())!.uuid;
    const stageId = crypto.randomUUID();
    await env.DB.prepare("INSERT INTO stages (id, workspace_id, name, name_key, position) VALUES (?, ?, 'Lead', 'lead', 0)")
      .bind(stageId, ws.id)
      .run();
    const res = await upsert(key, whatsapp("+4917011112222", { stageId, agentId: agentUuid }));
    expect(res.body.default_stage_id).toBe(stageId);
    const row = await env.DB.prepare("SELECT agent_id FROM contacts WHERE uuid = ?").bind(res.body.id).first<{ agent_id: number }>();
    expect(row!.agent_id).toBe(agent.id);
  });

  it("names every problem of the body in one 400 and writes nothing", async () => {
    const { ws, key } = await keyed();
    expect((await upsert(key, { channel: "whatsapp", contact_phone_number: "" })).body).toEqual({
      channel_phone_number: ["This field is required."],
      contact_phone_number: ["This field is required."],
    });
    expect((await upsert(key, { channel: "sms" })).body).toEqual({ channel: ['"sms" is not a valid choice.'] });
    expect((await upsert(key, { channel: "webchat" })).body).toEqual({
      channel_id: ["This field is required."],
      external_user_id: ["This field is required."],
    });
    expect((await upsert(key, whatsapp("+491701234567", { stageId: "nope", agentId: "x" }))).body).toEqual({
      stageId: ["Must be a valid UUID."],
      agentId: ["Must be a valid UUID."],
    });
    expect((await upsert(key, whatsapp("12"))).body).toEqual({
      contact_phone_number: ["Enter a valid phone number with its country code."],
    });
    expect((await upsert(key, { ...whatsapp("+491701234567"), channel_phone_number: "+1 555 0100" })).body).toEqual({
      channel_phone_number: ["No WhatsApp channel of this workspace has this number or id."],
    });
    expect(
      (
        await upsert(
          key,
          whatsapp("+491701234567", {
            custom_field_values: [
              { key: "rut", value: "1" },
              { key: "company_name", value: "x" },
              { key: "rut", value: "2" },
            ],
          }),
        )
      ).body,
    ).toEqual({ custom_field_values: ["Unknown custom field keys: rut, company_name"] });
    const missing = crypto.randomUUID();
    expect((await upsert(key, whatsapp("+491701234567", { stageId: missing, agentId: missing }))).body).toEqual({
      stageId: ["No stage of this workspace has this id."],
      agentId: ["No active team member of this workspace has this id."],
    });
    const count = await env.DB.prepare("SELECT count(*) AS n FROM contacts WHERE workspace_id = ?").bind(ws.id).first<{ n: number }>();
    expect(count!.n).toBe(0);
  });

  it("refuses a missing, unknown or revoked key with 401 and records when a key was used", async () => {
    const { ws, key, keyId } = await keyed();
    const refused = { status: 401, body: { detail: "Invalid or missing API key." } };
    expect(await upsert(undefined, whatsapp("+491701234567"))).toMatchObject(refused);
    expect(await upsert("sbk_not-a-key", whatsapp("+491701234567"))).toMatchObject(refused);
    expect((await upsert(key, whatsapp("+491701234567"))).status).toBe(201);
    await expect.poll(async () => (await platform(`/workspaces/${ws.id}/api_keys`)).body.results[0].last_used_at).toBeTypeOf("number");
    await platform(`/workspaces/${ws.id}/api_keys/${keyId}`, { method: "DELETE" });
    expect(await upsert(key, whatsapp("+491701234567"))).toMatchObject(refused);
    // A user token is not an API key.
    expect((await callJson(PATH, { body: whatsapp("+491701234567"), token: (await createUser(ws, "admin")).token })).status).toBe(401);
  });

  it("keeps workspaces apart and makes one contact of concurrent calls for one number", async () => {
    const a = await keyed();
    const b: { ws: TestWorkspace; key: string } = await keyed();
    const first = await upsert(a.key, whatsapp("+4917099990000"));
    const other = await upsert(b.key, whatsapp("+4917099990000"));
    expect(other.status).toBe(201);
    expect(other.body.id).not.toBe(first.body.id);

    const racing = await Promise.all(Array.from({ length: 6 }, () => upsert(a.key, whatsapp("+4917088887777"))));
    expect(racing.map((r) => r.status).sort()).toEqual([200, 200, 200, 200, 200, 201]);
    expect(new Set(racing.map((r) => r.body.id)).size).toBe(1);
  });

  it("checks custom field values strictly by type and finds a contact by an identifier value", async () => {
    const { ws, key } = await keyed();
    const admin = await createUser(ws, "admin");
    const field = (body: unknown) => callJson("/api/v2/fields.json", { token: admin.token, body });
    expect((await field({ label: "RUT", value_type: "text", identifier: true })).status).toBe(201);
    expect((await field({ label: "Age", value_type: "numeric" })).status).toBe(201);
    expect((await field({ label: "Born", value_type: "date" })).status).toBe(201);
    expect((await field({ label: "VIP", value_type: "boolean" })).status).toBe(201);
    expect((await field({ label: "Plan", value_type: "options", options: ["basic", "pro"] })).status).toBe(201);
    const bad = await upsert(
      key,
      whatsapp("+4917011110000", {
        custom_field_values: [
          { key: "age", value: "old" },
          { key: "born", value: "31-01-2020" },
          { key: "vip", value: "maybe" },
          { key: "plan", value: "gold" },
          { key: "rut", value: "x".repeat(641) },
        ],
      }),
    );
    expect(bad).toMatchObject({
      status: 400,
      body: {
        custom_field_values: {
          "0": { value: ["A valid number is required."] },
          "1": { value: ["Date has wrong format. Use one of these formats instead: YYYY-MM-DD."] },
          "2": { value: ["Must be a valid boolean."] },
          "3": { value: ['"gold" is not a valid choice.'] },
          "4": { value: ["Ensure this field has no more than 640 characters."] },
        },
      },
    });
    const values = [
      { key: "rut", value: "12.345.678-9" },
      { key: "age", value: 42 },
      { key: "born", value: "2020-01-31" },
      { key: "vip", value: true },
      { key: "plan", value: "pro" },
    ];
    const created = await upsert(key, whatsapp("+4917011110000", { custom_field_values: values }));
    expect(created.status).toBe(201);
    // Another number with the same identifier value finds that contact, which gains the number.
    const found = await upsert(key, whatsapp("+4917022220000", { custom_field_values: [{ key: "rut", value: "12.345.678-9" }] }));
    expect(found).toMatchObject({ status: 200, body: { id: created.body.id, phone: "+4917011110000" } });
    const v2 = await callJson(`/api/v2/contacts.json?uuid=${created.body.id}`, { token: admin.token });
    expect(v2.body.results[0]).toMatchObject({
      urns: ["whatsapp:4917011110000", "whatsapp:4917022220000"],
      fields: { rut: "12.345.678-9", age: "42", born: "2020-01-31", vip: "true", plan: "pro" },
    });
    // The person view shows the values typed.
    const other = await upsert(key, whatsapp("+4917033330000"));
    expect(await upsert(key, whatsapp("+4917033330000", { custom_field_values: [{ key: "rut", value: "12.345.678-9" }] }))).toMatchObject({
      status: 400,
      body: { custom_field_values: { "0": { value: ["This value belongs to another contact."] } } },
    });
    expect(other.status).toBe(201);
  });

  it("finds and creates webchat users by their external id on a webchat channel", async () => {
    const { ws, key } = await keyed();
    const channel = await platform(`/workspaces/${ws.id}/inboxes`, { body: { name: "Site chat", provider: "webchat" } });
    expect(channel.status).toBe(201);
    const body = { channel: "webchat", channel_id: channel.body.id, external_user_id: "visitor-42", contact_name: "Visitor" };
    const created = await upsert(key, body);
    expect(created).toMatchObject({ status: 201, body: { name: "Visitor", phone: null, platform: "webchat" } });
    expect((await upsert(key, body)).body.id).toBe(created.body.id);
    expect(await upsert(key, { ...body, channel_id: ws.inboxId })).toMatchObject({
      status: 400,
      body: { channel_id: ["No webchat channel of this workspace has this id."] },
    });
    // WhatsApp endpoints addressed at a webchat channel answer a clear 400.
    const admin = await createUser(ws, "admin");
    const chats = await callJson(`/inboxes/${channel.body.id}/api/v1/chats/`, { token: admin.token });
    expect(chats).toMatchObject({ status: 400, body: { detail: expect.stringContaining("webchat channel") } });
    // A WhatsApp channel named by a webchat inbox's id is no WhatsApp channel.
    expect((await upsert(key, { ...whatsapp("+4917011110000"), channel_phone_number: channel.body.id })).status).toBe(400);
  });

  it("gives the agent the contact's chat on that number", async () => {
    const { ws, key } = await keyed();
    const agent = await createUser(ws, "user");
    const agentUuid = (await env.DB.prepare("SELECT uuid FROM users WHERE id = ?").bind(agent.id).first<{ uuid: string }>())!.uuid;
    const waId = "4917044440000";
    const { postWebhook, cloudEnvelope, contact, textMessage } = await import("../helpers/whatsapp");
    await platform(`/workspaces/${ws.id}/inboxes/${ws.inboxId}`, { method: "PATCH", body: { config: { app_secret: "test-app-secret" } } });
    await postWebhook(ws.inboxId, cloudEnvelope({ contacts: [contact(waId, "Cleo")], messages: [textMessage(waId, "hi")] }));
    expect((await upsert(key, whatsapp(`+${waId}`, { agentId: agentUuid }))).status).toBe(200);
    const admin = await createUser(ws, "admin");
    const chat = await callJson(`${ws.prefix}/chat_assignment/${waId}/`, { token: admin.token });
    expect(chat.body.assigned_to_user).toBe(agent.id);
  });
});
