import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { call, callJson, platform } from "../helpers/api";
import { createUser, createWorkspace, inboxShard } from "../helpers/factories";
import { APP_SECRET, cloudEnvelope, contact, newWaId, postWebhook, textMessage, VERIFY_TOKEN } from "../helpers/whatsapp";

const SOURCE = "+49 151 12345678"; // the factories' inbox number
const INVITE = { name: "welcome", language: "en" };

async function setup(settings: Record<string, unknown> = {}) {
  const ws = await createWorkspace({ config: { app_secret: APP_SECRET, verify_token: VERIFY_TOKEN } });
  if (Object.keys(settings).length) {
    const patched = await platform(`/workspaces/${ws.id}/inboxes/${ws.inboxId}`, { method: "PATCH", body: settings });
    expect(patched.status).toBe(200);
  }
  const made = await platform(`/workspaces/${ws.id}/api_keys`, { body: { name: "Polser" } });
  const url = new URL(made.body.contact_webhook_url as string).pathname;
  const hook = (body: unknown) => callJson(url, { body });
  return { ws, hook, url, key: made.body.key as string, keyId: made.body.id as string };
}

const contactsOf = (workspaceId: string) =>
  env.DB.prepare("SELECT uuid, name, enhanced_data FROM contacts WHERE workspace_id = ? ORDER BY id").bind(workspaceId).all<any>();
const outgoing = async (inboxId: string, waId: string) =>
  (await inboxShard(inboxId))
    .prepare("SELECT type, payload, sender_user_id FROM messages WHERE inbox_id = ? AND wa_id = ? AND from_us = 1")
    .bind(inboxId, waId)
    .all<any>();

describe("the Polser contact webhook", () => {
  it("replays the seed's upsert with labels, overriding them, and the enhanced-data payload", async () => {
    const { ws, hook } = await setup({ invite_template: INVITE });
    const phone = `+${newWaId()}`;
    const first = await hook({
      contact: { phone, name: "John Smith", labels: "subscriber, trialing" },
      overrideLabels: "true",
      inviteNewContacts: "true",
    });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({
      operation: "upsert_contact",
      created: true,
      invited: true,
      contact: {
        name: "John Smith",
        urns: [`whatsapp:${phone.slice(1)}`],
        groups: [
          { uuid: expect.any(String), name: "subscriber" },
          { uuid: expect.any(String), name: "trialing" },
        ],
        status: "active",
      },
    });
    // The invitation went out through the outbound path, as the chat's outgoing template.
    const invitation = (await outgoing(ws.inboxId, phone.slice(1))).results;
    expect(invitation).toHaveLength(1);
    expect(invitation[0]).toMatchObject({ type: "template", sender_user_id: null });
    expect(JSON.parse(invitation[0].payload).template).toEqual({ name: "welcome", language: { code: "en" } });

    // Added (the default), then overridden; a repeated call invites nobody.
    const added = await hook({ contact: { phone, labels: ["VIP"] }, inviteNewContacts: true });
    expect(added.body).toMatchObject({ created: false, invited: false });
    expect(added.body.contact.groups.map((g: { name: string }) => g.name)).toEqual(["subscriber", "trialing", "VIP"]);
    const overridden = await hook({ contact: { phone, labels: "trialing" }, overrideLabels: "TRUE" });
    expect(overridden.body.contact.groups.map((g: { name: string }) => g.name)).toEqual(["trialing"]);
    expect((await outgoing(ws.inboxId, phone.slice(1))).results).toHaveLength(1);

    const enhanced = await hook({
      contact: {
        phone,
        name: "John Smith",
        enhanced_data: {
          "Outstanding payments": [{ text: "INV-2812381_456", description: "Since 13 Aug 2024", link: "www.google.com" }],
          "Other data": [{ text: "INV-2812381_456", description: "Since 13 Aug 2024", link: "www.google.com" }],
        },
      },
    });
    expect(enhanced.body.contact.enhanced_data).toEqual({
      "Outstanding payments": [{ text: "INV-2812381_456", description: "Since 13 Aug 2024", link: "www.google.com" }],
      "Other data": [{ text: "INV-2812381_456", description: "Since 13 Aug 2024", link: "www.google.com" }],
    });
    // A section sent replaces that section, null removes one, others stay.
    const merged = await hook({ contact: { phone, enhanced_data: { "Other data": null, New: [{ text: "x" }] } } });
    expect(Object.keys(merged.body.contact.enhanced_data).sort()).toEqual(["New", "Outstanding payments"]);
    expect((await contactsOf(ws.id)).results).toHaveLength(1);
  });

  it("refuses what it cannot do before anything is written", async () => {
    const { ws, hook, url } = await setup();
    const phone = `+${newWaId()}`;
    const cases: [unknown, number, unknown][] = [
      [{ contact: { phone, labels: "ok, " } }, 200, undefined],
      [{ contact: { phone }, inviteNewContacts: "yes" }, 400, { inviteNewContacts: ['Must be "true" or "false".'] }],
      [{ contact: { name: "x" } }, 400, { contact: { phone: ["This field is required."] } }],
      [{ contact: { phone: "12" } }, 400, { contact: { phone: ["Enter a valid phone number with its country code."] } }],
      [{ contact: { phone, labels: "-bad" } }, 400, { contact: { labels: expect.any(Array) } }],
      [
        { contact: { phone, enhanced_data: { S: [{ description: "no text" }] } } },
        400,
        { contact: { enhanced_data: { S: { "0": { text: ["This field is required."] } } } } },
      ],
      [{ contact: { phone, enhanced_data: { S: [{ text: "t", extra: 1 }] } } }, 400, expect.any(Object)],
      [{ delete_contact: [phone] }, 400, { delete_contact: ["One phone number per call: send one webhook per contact."] }],
      [{ delete_contact: phone, contact: { phone } }, 400, { detail: expect.stringContaining("delete_contact goes alone") }],
      [{ hello: 1 }, 400, { detail: expect.stringContaining("Send one operation") }],
      [
        { contact: { phone: `+${newWaId()}` }, inviteNewContacts: "true" },
        400,
        { inviteNewContacts: [expect.stringContaining("No invitation template")] },
      ],
      [
        { flow_data: { source_phone: SOURCE, phone, name: "N", flow_name: "nope" } },
        400,
        { flow_data: { flow_name: [expect.stringContaining('No flow "nope"')] } },
      ],
      [{ contact: { phone }, source_phone: "+1 555 0100", assignee: "a@b.c" }, 400, { source_phone: [expect.any(String)] }],
      [{ contact: { phone }, source_phone: SOURCE, assignee: "nobody@example.com" }, 400, { assignee: [expect.any(String)] }],
    ];
    for (const [body, status, answer] of cases) {
      const res = await callJson(url, { body });
      expect({ body, status: res.status }).toEqual({ body, status });
      if (answer !== undefined) expect(res.body).toEqual(answer);
    }
    // Only the first (valid) call wrote: one contact, one group ("ok"); the refused label made no group.
    expect((await contactsOf(ws.id)).results).toHaveLength(1);
    const groups = await env.DB.prepare("SELECT name FROM contact_groups WHERE workspace_id = ?").bind(ws.id).all<{ name: string }>();
    expect(groups.results.map((g) => g.name)).toEqual(["ok"]);
    expect((await call(url)).status).toBe(405);
    expect((await call(url)).headers.get("allow")).toBe("POST");
    expect((await callJson(url, { raw: "{", headers: { "content-type": "application/json" } })).status).toBe(400);
    expect(await hook({ contact: { phone }, source_phone: SOURCE, assignee: "x@example.com" })).toMatchObject({ status: 400 });
  });

  it("answers an unknown or revoked key with a 404", async () => {
    const { ws, url, keyId } = await setup();
    expect(await callJson("/webhooks/contacts/sbk_unknown", { body: { contact: { phone: "+4917012345678" } } })).toMatchObject({
      status: 404,
      body: { detail: "Not found." },
    });
    expect((await platform(`/workspaces/${ws.id}/api_keys/${keyId}`, { method: "DELETE" })).status).toBe(204);
    expect((await callJson(url, { body: { contact: { phone: "+4917012345678" } } })).status).toBe(404);
  });

  it("assigns the conversation to the agent by e-mail, as an admin would", async () => {
    const { ws, hook } = await setup();
    const agent = await createUser(ws, "user", { email: "Agent12@MyCompany.com" });
    const other = await createUser(ws, "user");
    const waId = newWaId();
    await postWebhook(ws.inboxId, cloudEnvelope({ contacts: [contact(waId, "Cleo")], messages: [textMessage(waId, "hi")] }));
    const admin = await createUser(ws, "admin");
    await callJson(`${ws.prefix}/chat_assignment/${waId}/`, { method: "PATCH", token: admin.token, body: { assigned_to_user: other.id } });
    const res = await hook({
      contact: { phone: `+${waId}`, labels: "assigned" },
      source_phone: "0049-151-12345678",
      assignee: "agent12@mycompany.com",
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      operation: "assign_conversation",
      chat: { inbox_id: ws.inboxId, wa_id: waId, assigned_to_user: agent.id },
      contact: { name: "Cleo", groups: [{ name: "assigned" }] },
    });
    const chat = await callJson(`${ws.prefix}/chat_assignment/${waId}/`, { token: admin.token });
    expect(chat.body.assigned_to_user).toBe(agent.id);
    const events = await callJson(`${ws.prefix}/chat_assignment_events/?wa_id=${waId}`, { token: admin.token });
    expect(events.body.results[0]).toMatchObject({ assigned_to_user_set: { id: agent.id } });
    expect(
      await hook({ contact: { phone: `+${newWaId()}` }, source_phone: SOURCE, assignee: `${agent.username}@example.com` }),
    ).toMatchObject({
      status: 400,
    });
    expect((await hook({ contact: { phone: `+${newWaId()}` }, source_phone: SOURCE, assignee: "agent12@mycompany.com" })).status).toBe(404);
  });

  it("sends a flow's template with a flow button and the contact upserted", async () => {
    const { ws, hook } = await setup({ flow_templates: { flow_to_be_triggered: { name: "survey", language: "en_US" } } });
    const phone = `+${newWaId()}`;
    const res = await hook({ flow_data: { source_phone: SOURCE, phone, name: "John Doe", flow_name: "flow_to_be_triggered" } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ operation: "trigger_flow", created: true, contact: { name: "John Doe" } });
    const [sent] = (await outgoing(ws.inboxId, phone.slice(1))).results;
    expect(JSON.parse(sent.payload).template).toEqual({
      name: "survey",
      language: { code: "en_US" },
      components: [
        { type: "button", sub_type: "flow", index: "0", parameters: [{ type: "action", action: { flow_token: res.body.flow_token } }] },
      ],
    });
  });

  it("deletes the contact and every chat of the number with its messages, and a redelivery brings nothing back", async () => {
    const { ws, hook } = await setup();
    const admin = await createUser(ws, "admin");
    const waId = newWaId();
    const message = textMessage(waId, "secret");
    await postWebhook(ws.inboxId, cloudEnvelope({ contacts: [contact(waId, "Cleo")], messages: [message, textMessage(waId, "second")] }));
    const tag = await callJson(`${ws.prefix}/tags/`, { token: admin.token, body: { name: "VIP" } });
    await callJson(`${ws.prefix}/chat_tagging/`, { token: admin.token, body: { tag: tag.body.id, chat: waId } });
    await callJson(`${ws.prefix}/mark_as_received/`, {
      token: admin.token,
      body: { timestamp: Number(message.timestamp), customer_wa_id: waId },
    });
    expect((await hook({ contact: { phone: `+${waId}`, labels: "L" } })).body.created).toBe(false);

    const res = await hook({ delete_contact: `+${waId}` });
    expect(res).toMatchObject({ status: 200, body: { operation: "delete_contact", deleted: { contacts: 1, chats: 1, messages: 2 } } });
    expect((await callJson(`${ws.prefix}/chats/${waId}/`, { token: admin.token })).status).toBe(404);
    expect((await callJson(`${ws.prefix}/messages/?wa_id=${waId}`, { token: admin.token })).body.results).toEqual([]);
    expect((await callJson(`${ws.prefix}/messages/?search=secret`, { token: admin.token })).body.results).toEqual([]);
    for (const table of ["messages", "chats", "chat_taggings", "received_marks"]) {
      const row = await ws.shard
        .prepare(`SELECT count(*) AS n FROM ${table} WHERE inbox_id = ? AND wa_id = ?`)
        .bind(ws.inboxId, waId)
        .first<{ n: number }>();
      expect({ table, n: row!.n }).toEqual({ table, n: 0 });
    }
    expect((await contactsOf(ws.id)).results).toEqual([]);
    const group = await env.DB.prepare("SELECT member_count FROM contact_groups WHERE workspace_id = ?")
      .bind(ws.id)
      .first<{ member_count: number }>();
    expect(group!.member_count).toBe(0);
    // The provider redelivers the deleted message: a duplicate, nothing comes back.
    expect((await postWebhook(ws.inboxId, cloudEnvelope({ contacts: [contact(waId, "Cleo")], messages: [message] }))).status).toBe(200);
    expect((await callJson(`${ws.prefix}/messages/?wa_id=${waId}`, { token: admin.token })).body.results).toEqual([]);
    expect(await hook({ delete_contact: `+${waId}` })).toMatchObject({ status: 404 });
    // A new message afterwards starts a new contact.
    await postWebhook(ws.inboxId, cloudEnvelope({ contacts: [contact(waId, "Cleo")], messages: [textMessage(waId, "back")] }));
    expect((await contactsOf(ws.id)).results).toHaveLength(1);
  });

  it("keeps workspaces apart: another workspace's key neither finds nor deletes", async () => {
    const a = await setup();
    const b = await setup();
    const waId = newWaId();
    await postWebhook(a.ws.inboxId, cloudEnvelope({ contacts: [contact(waId, "Cleo")], messages: [textMessage(waId, "hi")] }));
    expect((await b.hook({ delete_contact: `+${waId}` })).status).toBe(404);
    expect((await b.hook({ contact: { phone: `+${waId}` }, source_phone: SOURCE, assignee: "x@example.com" })).status).toBe(400);
    const made = await b.hook({ contact: { phone: `+${waId}`, name: "Other" } });
    expect(made.body.created).toBe(true);
    expect((await contactsOf(a.ws.id)).results.map((c: { name: string }) => c.name)).toEqual(["Cleo"]);
  });
});

describe("linking inbound customers to the workspace's contacts", () => {
  it("creates the contact on the first message, moves last_seen_on, and never renames a CRM's contact", async () => {
    const { ws, hook } = await setup();
    const admin = await createUser(ws, "admin");
    const waId = newWaId();
    const at = Math.floor(Date.now() / 1000) - 100;
    await postWebhook(
      ws.inboxId,
      cloudEnvelope({ contacts: [contact(waId, "Cleo from WhatsApp")], messages: [textMessage(waId, "one", at)] }),
    );
    const person = await callJson(`${ws.prefix}/persons/${waId}/`, { token: admin.token });
    expect(person.body.workspace_contact).toMatchObject({
      name: "Cleo from WhatsApp",
      urns: [`whatsapp:${waId}`],
      last_seen_on: new Date(at * 1000).toISOString().replace(".000Z", ".000000Z"),
    });
    await hook({ contact: { phone: `+${waId}`, name: "Cleo CRM" } });
    await postWebhook(
      ws.inboxId,
      cloudEnvelope({ contacts: [contact(waId, "Renamed on WhatsApp")], messages: [textMessage(waId, "two", at + 50)] }),
    );
    const later = await callJson(`${ws.prefix}/persons/${waId}/`, { token: admin.token });
    expect(later.body.workspace_contact.name).toBe("Cleo CRM");
    expect(later.body.workspace_contact.last_seen_on.startsWith(new Date((at + 50) * 1000).toISOString().slice(0, 19))).toBe(true);
    expect((await contactsOf(ws.id)).results).toHaveLength(1);
  });

  it("links a contact reached by its tel: URN to its chat", async () => {
    const { ws, hook } = await setup();
    const admin = await createUser(ws, "admin");
    const waId = newWaId();
    await env.DB.batch([
      env.DB.prepare("INSERT INTO contacts (uuid, workspace_id, name, created_on, modified_on) VALUES (?, ?, 'Tel only', 1, 1)").bind(
        crypto.randomUUID(),
        ws.id,
      ),
      env.DB.prepare(
        "INSERT INTO contact_urns (workspace_id, contact_id, scheme, path, identity, position) SELECT ?, id, 'tel', ?, ?, 0 FROM contacts WHERE name = 'Tel only' AND workspace_id = ?",
      ).bind(ws.id, `+${waId}`, `tel:+${waId}`, ws.id),
    ]);
    await postWebhook(ws.inboxId, cloudEnvelope({ contacts: [contact(waId, "Cleo")], messages: [textMessage(waId, "hi")] }));
    const person = await callJson(`${ws.prefix}/persons/${waId}/`, { token: admin.token });
    expect(person.body.workspace_contact).toMatchObject({ name: "Tel only", urns: [`tel:+${waId}`] });
    expect(person.body.workspace_contact.last_seen_on).not.toBeNull();
    expect((await contactsOf(ws.id)).results).toHaveLength(1);
    void hook;
  });
});
