import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { callJson, platform, type RequestOptions } from "../helpers/api";
import { createUser, createWorkspace } from "../helpers/factories";
import { APP_SECRET, cloudEnvelope, contact, newWaId, postWebhook, textMessage } from "../helpers/whatsapp";

/**
 * The three dialects are three views of one workspace contact: what v2 writes, seed 003
 * finds and the Polser webhook updates (and the other way round), with the same uuid,
 * groups and values, typed in the person view and strings in v2; inbound messages create
 * or link the same contact and move its `last_seen_on`.
 */

const CONTACTS = "/api/v2/contacts.json";
const CHANNEL = "+49 151 12345678"; // the factories' inbox number
const ISO_MICROS = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/;

/** One field of every type, an identifier among them. */
const FIELDS = [
  { label: "Nickname", value_type: "text" },
  { label: "Age", value_type: "numeric" },
  { label: "Born", value_type: "date" },
  { label: "VIP", value_type: "boolean" },
  { label: "Plan", value_type: "options", options: ["basic", "pro"] },
  { label: "Renews", value_type: "datetime" },
  { label: "RUT", value_type: "text", identifier: true },
];
const NO_VALUES = { nickname: null, age: null, born: null, vip: null, plan: null, renews: null, rut: null };

async function world() {
  const ws = await createWorkspace({ config: { app_secret: APP_SECRET } });
  const admin = await createUser(ws, "admin");
  const v2 = (path: string, options: RequestOptions = {}) => callJson(path, { token: admin.token, ...options });
  for (const field of FIELDS) expect((await v2("/api/v2/fields.json", { body: field })).status).toBe(201);
  const made = await platform(`/workspaces/${ws.id}/api_keys`, { body: { name: "CRM" } });
  expect(made.status).toBe(201);
  const hookPath = new URL(made.body.contact_webhook_url as string).pathname;
  return {
    ws,
    admin,
    v2,
    /** The contact as v2 lists it by uuid (the one result). */
    v2Contact: async (uuid: string) => {
      const res = await v2(`${CONTACTS}?uuid=${uuid}`);
      expect(res.status).toBe(200);
      expect(res.body.results).toHaveLength(1);
      return res.body.results[0];
    },
    groupCounts: async () =>
      Object.fromEntries(
        ((await v2("/api/v2/groups.json")).body.results as { name: string; count: number }[]).map((g) => [g.name, g.count]),
      ),
    upsert: (body: Record<string, unknown>) =>
      callJson("/api/public/customer/upsert/info", {
        body: { channel: "whatsapp", channel_phone_number: CHANNEL, ...body },
        headers: { "x-api-key": made.body.key },
      }),
    hook: (body: unknown) => callJson(hookPath, { body }),
    person: async (waId: string) => {
      const res = await callJson(`${ws.prefix}/persons/${waId}/`, { token: admin.token });
      expect(res.status).toBe(200);
      return res.body.workspace_contact;
    },
    inbound: async (waId: string, name: string, timestamp: number) => {
      const res = await postWebhook(
        ws.inboxId,
        cloudEnvelope({ contacts: [contact(waId, name)], messages: [textMessage(waId, "hello", timestamp)] }),
      );
      expect(res.status).toBe(200);
    },
    contactCount: async () =>
      (await env.DB.prepare("SELECT count(*) AS n FROM contacts WHERE workspace_id = ?").bind(ws.id).first<{ n: number }>())?.n,
  };
}

const seenIso = (seconds: number) => new Date(seconds * 1000).toISOString().replace(".000Z", ".000000Z");

describe("one contact behind v2, seed 003 and the Polser webhook", () => {
  it("finds a v2 contact through seed 003 (by phone and by identifier value) and updates it through the webhook", async () => {
    const w = await world();
    const devs = await w.v2("/api/v2/groups.json", { body: { name: "Devs" } });
    const waId = newWaId();
    const created = await w.v2(CONTACTS, {
      body: {
        name: "Ana",
        language: "por",
        urns: [`whatsapp:${waId}`, "mailto:ana@example.com"],
        groups: ["Devs"],
        fields: {
          nickname: "Annie",
          age: "42.50",
          born: "2001-02-03",
          vip: "yes",
          plan: "pro",
          renews: "2024-05-06T07:08:09+02:00",
          rut: "11.111.111-1",
        },
      },
    });
    expect(created.status).toBe(201);
    const uuid = created.body.uuid as string;
    const v2Values = {
      nickname: "Annie",
      age: "42.5",
      born: "2001-02-03",
      vip: "true",
      plan: "pro",
      renews: "2024-05-06T05:08:09.000000Z",
      rut: "11.111.111-1",
    };
    expect(created.body.fields).toEqual(v2Values);

    // Seed 003 finds it by the phone of its whatsapp: URN: 200, the v2 uuid as id and ai_customer_id.
    const found = await w.upsert({ contact_phone_number: `+${waId}` });
    expect(found.status).toBe(200);
    expect(found.body).toEqual({
      id: uuid,
      ai_customer_id: uuid,
      name: "Ana",
      phone: `+${waId}`,
      email: "ana@example.com",
      platform: "whatsapp",
      client_id: w.ws.id,
      created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      default_stage_id: null,
    });
    expect(found.body.created_at.slice(0, 23)).toBe(created.body.created_on.slice(0, 23));
    // ...and by the identifier value v2 wrote, from another number, which the contact gains.
    const other = newWaId();
    const byValue = await w.upsert({
      contact_phone_number: `+${other}`,
      custom_field_values: [
        { key: "rut", value: "11.111.111-1" },
        { key: "age", value: 43 },
      ],
    });
    expect(byValue).toMatchObject({ status: 200, body: { id: uuid, phone: `+${waId}` } });
    const afterSeed = await w.v2Contact(uuid);
    expect(afterSeed.urns).toEqual([`whatsapp:${waId}`, "mailto:ana@example.com", `whatsapp:${other}`]);
    expect(afterSeed.fields).toEqual({ ...v2Values, age: "43" });
    expect(afterSeed.modified_on > created.body.modified_on).toBe(true);

    // The webhook updates the same contact: its labels are v2's groups (matched ignoring case, missing ones created).
    const hooked = await w.hook({ contact: { phone: `+${waId}`, name: "Ana Maria", labels: "devs, VIP Customers" } });
    expect(hooked.status).toBe(200);
    expect(hooked.body).toMatchObject({
      operation: "upsert_contact",
      created: false,
      invited: false,
      contact: { uuid, name: "Ana Maria" },
    });
    const vip = (await w.v2("/api/v2/groups.json?name=vip%20customers")).body.results;
    expect(vip).toEqual([{ uuid: expect.any(String), name: "VIP Customers", query: null, status: "ready", count: 1 }]);
    expect(hooked.body.contact.groups).toEqual([
      { uuid: devs.body.uuid, name: "Devs" },
      { uuid: vip[0].uuid, name: "VIP Customers" },
    ]);
    const afterHook = await w.v2Contact(uuid);
    expect(afterHook).toMatchObject({
      name: "Ana Maria",
      language: "por",
      groups: hooked.body.contact.groups,
      fields: { ...v2Values, age: "43" },
    });
    expect(await w.groupCounts()).toEqual({ Devs: 1, "VIP Customers": 1 });
    // Overriding the labels leaves the contact in exactly these groups; the counters follow.
    await w.hook({ contact: { phone: `+${other}`, labels: "VIP Customers" }, overrideLabels: "true" });
    expect((await w.v2Contact(uuid)).groups).toEqual([{ uuid: vip[0].uuid, name: "VIP Customers" }]);
    expect(await w.groupCounts()).toEqual({ Devs: 0, "VIP Customers": 1 });
    expect((await w.v2(`${CONTACTS}?group=Devs`)).body.results).toEqual([]);
    expect((await w.v2(`${CONTACTS}?group=${vip[0].uuid}`)).body.results.map((c: { uuid: string }) => c.uuid)).toEqual([uuid]);

    // The customer writes: the chat links to the contact (no second one), values typed in the person view.
    const at = Math.floor(Date.now() / 1000) - 60;
    await w.inbound(waId, "Ana on WhatsApp", at);
    const person = await w.person(waId);
    expect(person).toEqual({
      uuid,
      name: "Ana Maria",
      language: "por",
      urns: [`whatsapp:${waId}`, "mailto:ana@example.com", `whatsapp:${other}`],
      groups: [{ uuid: vip[0].uuid, name: "VIP Customers" }],
      fields: {
        nickname: "Annie",
        age: 43,
        born: "2001-02-03",
        vip: true,
        plan: "pro",
        renews: "2024-05-06T05:08:09.000000Z",
        rut: "11.111.111-1",
      },
      stage: null,
      agent: null,
      meta_data: {},
      enhanced_data: {},
      status: "active",
      created_on: created.body.created_on,
      modified_on: expect.stringMatching(ISO_MICROS),
      last_seen_on: seenIso(at),
    });
    const v2After = await w.v2Contact(uuid);
    expect(v2After.last_seen_on).toBe(seenIso(at));
    expect(v2After.modified_on).toBe(person.modified_on);
    expect(await w.contactCount()).toBe(1);
  });

  it("reads and updates a seed 003 contact through v2, and the webhook and the person view see the changes", async () => {
    const w = await world();
    const agent = await createUser(w.ws, "user");
    const agentUuid = (await env.DB.prepare("SELECT uuid FROM users WHERE id = ?").bind(agent.id).first<{ uuid: string }>())?.uuid;
    const stage = await callJson(`${w.ws.prefix}/stages/`, { token: w.admin.token, body: { name: "Qualified" } });
    expect(stage.status).toBe(201);
    await w.v2("/api/v2/groups.json", { body: { name: "Devs" } });
    const waId = newWaId();
    const created = await w.upsert({
      contact_phone_number: `+${waId}`,
      contact_name: "Bruno",
      contact_email: "Bruno@Example.com",
      stageId: stage.body.id,
      agentId: agentUuid,
      meta_data: { plan: "gold", seats: 3 },
      custom_field_values: [
        { key: "age", value: "30" },
        { key: "vip", value: "YES" },
        { key: "born", value: "1994-12-31" },
        { key: "renews", value: "2025-01-02T03:04:05Z" },
        { key: "plan", value: "basic" },
      ],
    });
    expect(created.status).toBe(201);
    const uuid = created.body.id as string;
    expect(created.body).toMatchObject({
      ai_customer_id: uuid,
      phone: `+${waId}`,
      email: "bruno@example.com",
      default_stage_id: stage.body.id,
    });

    // v2 reads it: the same uuid, the seed's URNs, the values as strings.
    expect(await w.v2Contact(uuid)).toEqual({
      uuid,
      name: "Bruno",
      language: null,
      urns: [`whatsapp:${waId}`, "mailto:bruno@example.com"],
      groups: [],
      fields: { ...NO_VALUES, age: "30", vip: "true", born: "1994-12-31", renews: "2025-01-02T03:04:05.000000Z", plan: "basic" },
      flow: null,
      status: "active",
      blocked: false,
      stopped: false,
      created_on: expect.stringMatching(ISO_MICROS),
      modified_on: expect.stringMatching(ISO_MICROS),
      last_seen_on: null,
    });
    // v2 updates it by its whatsapp: URN: a value cleared, one changed, a group joined, a language set.
    const updated = await w.v2(`${CONTACTS}?urn=whatsapp%3A${waId}`, {
      body: { language: "spa", groups: ["Devs"], fields: { age: "", vip: "no", nickname: "Bru" } },
    });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({
      uuid,
      language: "spa",
      groups: [{ name: "Devs" }],
      fields: { age: null, vip: "false", nickname: "Bru" },
    });

    // Seed 003 still finds that contact; the webhook's label "devs" is the v2 group, no new one.
    expect(await w.upsert({ contact_phone_number: `00${waId}` })).toMatchObject({ status: 200, body: { id: uuid, name: "Bruno" } });
    const hooked = await w.hook({
      contact: { phone: `+${waId}`, labels: "DEVS", enhanced_data: { Orders: [{ text: "#1", link: "www.example.com" }] } },
    });
    expect(hooked).toMatchObject({ status: 200, body: { created: false, contact: { uuid, groups: [{ name: "Devs" }] } } });
    expect(await w.groupCounts()).toEqual({ Devs: 1 });

    // The person view shows the seed's stage, agent and meta data, and every value typed.
    const at = Math.floor(Date.now() / 1000) - 30;
    await w.inbound(waId, "Bruno WA", at);
    const person = await w.person(waId);
    expect(person).toMatchObject({
      uuid,
      name: "Bruno",
      language: "spa",
      fields: {
        ...NO_VALUES,
        nickname: "Bru",
        age: null,
        vip: false,
        born: "1994-12-31",
        renews: "2025-01-02T03:04:05.000000Z",
        plan: "basic",
      },
      stage: { id: stage.body.id, name: "Qualified" },
      agent: { id: agent.id, uuid: agentUuid, username: agent.username, email: `${agent.username}@example.com` },
      meta_data: { plan: "gold", seats: 3 },
      enhanced_data: { Orders: [{ text: "#1", link: "www.example.com" }] },
      last_seen_on: seenIso(at),
    });
    expect((await w.v2Contact(uuid)).last_seen_on).toBe(seenIso(at));
    expect(await w.contactCount()).toBe(1);
  });

  it("reads and updates a webhook contact through v2, and seed 003 finds it", async () => {
    const w = await world();
    const waId = newWaId();
    const made = await w.hook({ contact: { phone: `+${waId}`, name: "Cleo", labels: "subscriber, trialing" } });
    expect(made).toMatchObject({ status: 200, body: { operation: "upsert_contact", created: true } });
    const uuid = made.body.contact.uuid as string;
    const listed = (await w.v2(`${CONTACTS}?urn=whatsapp:${waId}`)).body.results;
    expect(listed).toEqual([
      expect.objectContaining({ uuid, name: "Cleo", urns: [`whatsapp:${waId}`], groups: made.body.contact.groups, fields: NO_VALUES }),
    ]);
    expect(await w.groupCounts()).toEqual({ subscriber: 1, trialing: 1 });
    const renamed = await w.v2(`${CONTACTS}?uuid=${uuid}`, { body: { name: "Cleo Patra", groups: ["trialing"], fields: { plan: "PRO" } } });
    expect(renamed).toMatchObject({ status: 200, body: { name: "Cleo Patra", fields: { plan: "pro" } } });
    expect(await w.groupCounts()).toEqual({ subscriber: 0, trialing: 1 });
    // The webhook's next answer and seed 003 see v2's changes on the same contact.
    const again = await w.hook({ contact: { phone: waId } });
    expect(again.body).toMatchObject({
      created: false,
      contact: { uuid, name: "Cleo Patra", groups: [{ name: "trialing" }], fields: { plan: "pro" } },
    });
    expect(await w.upsert({ contact_phone_number: `+${waId}` })).toMatchObject({ status: 200, body: { id: uuid, name: "Cleo Patra" } });
    expect(await w.contactCount()).toBe(1);
  });
});

describe("inbound messages and the workspace contact", () => {
  it("creates the contact on the first message, which v2, seed 003 and the person view see, and moves last_seen_on", async () => {
    const w = await world();
    const waId = newWaId();
    const first = Math.floor(Date.now() / 1000) - 120;
    await w.inbound(waId, "Dora", first);
    const listed = (await w.v2(`${CONTACTS}?urn=whatsapp:${waId}`)).body.results;
    expect(listed).toEqual([
      {
        uuid: expect.any(String),
        name: "Dora",
        language: null,
        urns: [`whatsapp:${waId}`],
        groups: [],
        fields: NO_VALUES,
        flow: null,
        status: "active",
        blocked: false,
        stopped: false,
        created_on: expect.stringMatching(ISO_MICROS),
        modified_on: expect.stringMatching(ISO_MICROS),
        last_seen_on: seenIso(first),
      },
    ]);
    const uuid = listed[0].uuid as string;
    expect((await w.person(waId)).uuid).toBe(uuid);
    expect(await w.upsert({ contact_phone_number: `+${waId}` })).toMatchObject({ status: 200, body: { id: uuid, name: "Dora" } });
    const before = await w.v2Contact(uuid);

    // A later message moves last_seen_on (and modified_on), seen by both readers; an older one does not.
    await w.inbound(waId, "Dora", first + 60);
    const moved = await w.v2Contact(uuid);
    expect(moved.last_seen_on).toBe(seenIso(first + 60));
    expect(moved.modified_on > before.modified_on).toBe(true);
    expect((await w.person(waId)).last_seen_on).toBe(seenIso(first + 60));
    await w.inbound(waId, "Dora", first + 10);
    expect((await w.v2Contact(uuid)).last_seen_on).toBe(seenIso(first + 60));
    expect(await w.contactCount()).toBe(1);
  });

  it("links a v2 contact known only by its tel: URN to its chat, for every reader", async () => {
    const w = await world();
    const waId = newWaId();
    const created = await w.v2(CONTACTS, { body: { name: "Tel", urns: [`tel:+${waId}`], fields: { vip: "1" } } });
    expect(created.status).toBe(201);
    const at = Math.floor(Date.now() / 1000) - 15;
    await w.inbound(waId, "Someone else", at);
    expect(await w.contactCount()).toBe(1);
    expect(await w.person(waId)).toMatchObject({
      uuid: created.body.uuid,
      name: "Tel",
      urns: [`tel:+${waId}`],
      fields: { vip: true },
      last_seen_on: seenIso(at),
    });
    expect(await w.v2Contact(created.body.uuid)).toMatchObject({
      urns: [`tel:+${waId}`],
      last_seen_on: seenIso(at),
      fields: { vip: "true" },
    });
    // Seed 003 and the webhook key by phone: the tel: contact is the one, and gains no URN.
    expect(await w.upsert({ contact_phone_number: `+${waId}` })).toMatchObject({
      status: 200,
      body: { id: created.body.uuid, phone: `+${waId}` },
    });
    expect(await w.hook({ contact: { phone: `+${waId}` } })).toMatchObject({
      body: { created: false, contact: { uuid: created.body.uuid, urns: [`tel:+${waId}`] } },
    });
  });

  it("links a message to the contact a v2 soft delete left behind only through a new contact", async () => {
    const w = await world();
    const waId = newWaId();
    const created = await w.v2(CONTACTS, { body: { name: "Gone", urns: [`whatsapp:${waId}`] } });
    expect((await w.v2(`${CONTACTS}?uuid=${created.body.uuid}`, { method: "DELETE" })).status).toBe(204);
    const at = Math.floor(Date.now() / 1000) - 5;
    await w.inbound(waId, "Back again", at);
    const person = await w.person(waId);
    expect(person).toMatchObject({ name: "Back again", urns: [`whatsapp:${waId}`], last_seen_on: seenIso(at) });
    expect(person.uuid).not.toBe(created.body.uuid);
    // The tombstone stays as it was.
    const tombstones = (await w.v2(`${CONTACTS}?deleted=true`)).body.results;
    expect(tombstones.map((c: { uuid: string; last_seen_on: string | null }) => [c.uuid, c.last_seen_on])).toEqual([
      [created.body.uuid, null],
    ]);
  });
});
