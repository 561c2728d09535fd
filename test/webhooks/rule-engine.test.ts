import { env } from "cloudflare:test";
import { HttpResponse } from "msw";
import { beforeAll, describe, expect, it } from "vitest";
import { encryptJson } from "../../src/services/secrets";
import { callJson } from "../helpers/api";
import { createUser, createWorkspace, type TestUser, type TestWorkspace } from "../helpers/factories";
import { APP_SECRET, cloudEnvelope, contact, newWaId, postWebhook, textMessage } from "../helpers/whatsapp";
import { createWebhook, eventually, subscriber } from "./support";

let ws: TestWorkspace;
let admin: TestUser;
beforeAll(async () => {
  ws = await createWorkspace({ config: { app_secret: APP_SECRET } });
  admin = await createUser(ws, "admin");
});

const api = (path: string, options: Parameters<typeof callJson>[1] = {}) =>
  callJson(`${ws.prefix}${path}`, { token: admin.token, ...options });
const group = async (name: string, members: TestUser[]) => {
  const g = (await api("/groups/", { body: { name } })).body;
  for (const m of members) await api(`/users/${m.id}/`, { method: "PATCH", body: { groups: [g.id] } });
  return g as { id: number; name: string };
};
const assignment = async (waId: string) => (await api(`/chat_assignment/${waId}/`)).body;

describe("rule engine rules", () => {
  it("validates a rule: one target, a method with a group, ids of this workspace, one rule per trigger", async () => {
    const bot = await createUser(ws, "app");
    const cases: [Record<string, unknown>, unknown][] = [
      [{ tagged_with: null }, { non_field_errors: ["Set exactly one of assign_to_user and assign_to_group."] }],
      [{ assign_to_user: bot.id, assign_to_group: 1 }, { non_field_errors: ["Set exactly one of assign_to_user and assign_to_group."] }],
      [{ assign_to_group: 1 }, { group_assign_method: ["This field is required with assign_to_group."] }],
      [
        { assign_to_user: bot.id, group_assign_method: "round_robin" },
        { group_assign_method: ["Only a rule assigning a group has a method."] },
      ],
      [{ assign_to_user: 999_999 }, { assign_to_user: ['Invalid pk "999999" - object does not exist.'] }],
      [{ tagged_with: 999_999, assign_to_user: bot.id }, { tagged_with: ['Invalid pk "999999" - object does not exist.'] }],
      [{ assign_to_group: 1, group_assign_method: "random" }, expect.objectContaining({ group_assign_method: expect.any(Array) })],
    ];
    const other = await createWorkspace();
    const stranger = await createUser(other, "admin");
    cases.push([{ assign_to_user: stranger.id }, { assign_to_user: [`Invalid pk "${stranger.id}" - object does not exist.`] }]);
    for (const [body, error] of cases) {
      const res = await api("/rule_engine/rules/", { body });
      expect([body, res.status, res.body]).toEqual([body, 400, error]);
    }
    const tag = (await api("/tags/", { body: { name: "Rules tag" } })).body;
    const rule = await api("/rule_engine/rules/", { body: { tagged_with: tag.id, assign_to_user: bot.id } });
    expect(rule).toMatchObject({
      status: 201,
      body: { id: expect.any(Number), tagged_with: tag.id, assign_to_user: bot.id, assign_to_group: null, group_assign_method: null },
    });
    const twice = await api("/rule_engine/rules/", { body: { tagged_with: tag.id, assign_to_user: admin.id } });
    expect(twice).toMatchObject({ status: 400, body: { tagged_with: ["A rule for this trigger already exists."] } });
    const patched = await api(`/rule_engine/rules/${rule.body.id}/`, { method: "PATCH", body: { assign_to_user: admin.id } });
    expect(patched.body).toMatchObject({ tagged_with: tag.id, assign_to_user: admin.id });
    expect((await api("/rule_engine/rules/")).body.count).toBe(1);
    expect((await api(`/rule_engine/rules/${rule.body.id}/`, { method: "DELETE" })).status).toBe(204);
    expect((await api(`/rule_engine/rules/${rule.body.id}/`)).status).toBe(404);
  });

  it("passes the seed's bot walkthrough: bot first, then the Agents group when the bot tags 'Agent needed'", async () => {
    const bot = await createUser(ws, "app");
    const [agent1, agent2] = [await createUser(ws, "user"), await createUser(ws, "user")];
    const agents = await group("Agents", [agent1, agent2]);
    const agentNeeded = (await api("/tags/", { body: { name: "Agent needed" } })).body;
    expect((await api("/rule_engine/rules/", { body: { tagged_with: null, assign_to_user: bot.id } })).status).toBe(201);
    const toAgents = { tagged_with: agentNeeded.id, assign_to_group: agents.id, group_assign_method: "let_group_decide" };
    expect((await api("/rule_engine/rules/", { body: toAgents })).status).toBe(201);
    const botHook = subscriber();
    await createWebhook(ws, bot, { url: botHook.url, on_incoming_message: false, on_outgoing_message: false, on_assigned: true });
    const agentHooks = [subscriber(), subscriber()];
    await createWebhook(ws, agent1, { url: agentHooks[0]!.url, on_incoming_message: false, on_outgoing_message: false });
    await createWebhook(ws, agent2, { url: agentHooks[1]!.url, on_incoming_message: false, on_outgoing_message: false });

    // 1. A new message from WhatsApp: the rule gives the chat to the bot, whose webhook gets it as assigned_messages.
    const waId = newWaId();
    const hello = textMessage(waId, "Hello");
    await postWebhook(ws.inboxId, cloudEnvelope({ contacts: [contact(waId, "Konrad Tester")], messages: [hello] }));
    await eventually(() => expect(botHook.received.some((r) => r.body.assigned_messages)).toBe(true));
    const toBot = botHook.received.find((r) => r.body.assigned_messages)!.body;
    expect(toBot.assigned_messages.map((m: any) => m.waba_payload.id)).toEqual([hello.id]);
    expect(toBot.assigned_messages[0].waba_payload.from).toBe(waId);
    expect(toBot.messages).toBeUndefined();
    expect(await assignment(waId)).toEqual({ wa_id: waId, assigned_to_user: bot.id, assigned_group: null });
    const events = await api(`/chat_assignment_events/?wa_id=${waId}`);
    expect(events.body.results[0]).toMatchObject({ assigned_to_user_set: { id: bot.id }, done_by: null });

    // The conversation goes on with the bot: new messages of its chat come as assigned_messages.
    const more = textMessage(waId, "Still there?");
    await postWebhook(ws.inboxId, cloudEnvelope({ messages: [more] }));
    await eventually(() => expect(botHook.received.some((r) => r.body.assigned_messages?.[0]?.id === more.id)).toBe(true));

    // 2. The bot replies (it may write: the chat is assigned to it), then tags the message "Agent needed".
    const reply = await callJson(`${ws.prefix}/messages/`, {
      token: bot.token,
      body: { wa_id: waId, type: "text", text: { body: "Hello! How may I help you?" } },
    });
    expect(reply.status).toBe(201);
    const tagged = await callJson(`${ws.prefix}/message_tagging/`, { token: bot.token, body: { tag: agentNeeded.id, message: hello.id } });
    expect(tagged.status).toBe(201);

    // 3. The rule moves the chat to the Agents group, user cleared; every member's webhook receives it.
    await eventually(async () =>
      expect(await assignment(waId)).toEqual({ wa_id: waId, assigned_to_user: null, assigned_group: agents.id }),
    );
    for (const hook of agentHooks) {
      await eventually(() => expect(hook.received.some((r) => r.body.assigned_messages)).toBe(true));
      const body = hook.received.find((r) => r.body.assigned_messages)!.body;
      expect(body.assigned_messages.map((m: any) => m.waba_payload.text?.body)).toEqual([
        "Hello! How may I help you?",
        "Still there?",
        "Hello",
      ]);
      expect(body.chat_assignment).toMatchObject({
        wa_id: waId,
        assigned_group_set: { id: agents.id, name: "Agents" },
        assigned_to_user_was_cleared: true,
        done_by: null,
      });
    }
    // The agents see the taggings too, now that they may read the chat... and only from then on.
    expect(
      agentHooks[0]!.received.some((r) => r.body.assigned_messages?.length && r.body.chat_assignment?.assigned_to_user_set?.id === bot.id),
    ).toBe(false);
    await api("/rule_engine/rules/?limit=100").then(async (r) => {
      for (const rule of r.body.results) await api(`/rule_engine/rules/${rule.id}/`, { method: "DELETE" });
    });
  });

  it("round-robins a group's chats fairly across its active members", async () => {
    const members = [await createUser(ws, "user"), await createUser(ws, "user"), await createUser(ws, "user")];
    const team = await group("Round robin team", members);
    const tag = (await api("/tags/", { body: { name: "Needs a person" } })).body;
    await api("/rule_engine/rules/", { body: { tagged_with: tag.id, assign_to_group: team.id, group_assign_method: "round_robin" } });
    const chats = Array.from({ length: 6 }, newWaId);
    for (const waId of chats) await postWebhook(ws.inboxId, cloudEnvelope({ messages: [textMessage(waId, "help")] }));
    for (const waId of chats) expect((await api("/chat_tagging/", { body: { tag: tag.id, chat: waId } })).status).toBe(201);
    await eventually(async () => {
      const users = await Promise.all(chats.map(async (waId) => (await assignment(waId)).assigned_to_user));
      expect(users.every((u) => u !== null)).toBe(true);
      const counts = members.map((m) => users.filter((u) => u === m.id).length);
      expect(counts).toEqual([2, 2, 2]);
    });
    for (const waId of chats) expect((await assignment(waId)).assigned_group).toBe(team.id);
  });
});

describe("custom rule engine", () => {
  it("is configured by admins, with write-only headers and a checked URL", async () => {
    expect((await api("/rule_engine/")).body).toEqual({ mode: "default", url: null, header_names: [] });
    expect((await api("/rule_engine/", { method: "PUT", body: { mode: "custom" } })).body).toEqual({
      url: ["This field is required for a custom engine."],
    });
    expect((await api("/rule_engine/", { method: "PUT", body: { mode: "custom", url: "https://10.0.0.1/engine" } })).body).toEqual({
      url: ["The address 10.0.0.1 is not a public address (private)."],
    });
    const bad = await api("/rule_engine/", { method: "PATCH", body: { headers: { "webhook-id": "x" } } });
    expect(bad.status).toBe(400);
    const set = await api("/rule_engine/", {
      method: "PUT",
      body: { mode: "custom", url: "https://engine.example.com/x", headers: { Authorization: "Bearer s3cret" } },
    });
    expect(set.body).toEqual({ mode: "custom", url: "https://engine.example.com/x", header_names: ["Authorization"] });
    expect(JSON.stringify((await api("/rule_engine/")).body)).not.toContain("s3cret");
    expect((await api("/rule_engine/", { method: "PATCH", body: { mode: "default" } })).body).toEqual({
      mode: "default",
      url: "https://engine.example.com/x",
      header_names: ["Authorization"],
    });
  });

  it("is called per event with its headers, and its answers are applied, logged, or ignored with the reason", async () => {
    const bot = await createUser(ws, "app");
    const agents = await group("Engine agents", [await createUser(ws, "user")]);
    const engine = subscriber((req) => {
      const body = req.body;
      if (body.incoming_messages)
        return HttpResponse.json({ assignment: body.incoming_messages.map((m: any) => ({ message_id: m.id, user: bot.id })) });
      if (body.chat_tagging?.action === "added") {
        return HttpResponse.json({
          assignment: [
            { chat_id: body.chat_tagging.chat, group: agents.id, group_assign_method: "let_group_decide" },
            { chat_id: "999", user: bot.id },
            { message_id: "x", chat_id: "y", user: 1 },
          ],
        });
      }
      return HttpResponse.json({});
    });
    await api("/rule_engine/", {
      method: "PUT",
      body: { mode: "custom", url: engine.url, headers: { Authorization: "Bearer engine-key" } },
    });
    const waId = newWaId();
    const hello = textMessage(waId, "Hi engine");
    await postWebhook(ws.inboxId, cloudEnvelope({ contacts: [contact(waId, "Eva")], messages: [hello] }));
    await eventually(async () => expect((await assignment(waId)).assigned_to_user).toBe(bot.id));
    const first = engine.received.find((r) => r.body.incoming_messages)!;
    expect(Object.keys(first.body).sort()).toEqual(["contacts", "incoming_messages", "messages"]);
    expect(first.body.messages).toEqual([hello]);
    expect(first.headers).toMatchObject({
      authorization: "Bearer engine-key",
      "content-type": "application/json",
      "webhook-id": expect.any(String),
    });

    const tag = (await api("/tags/", { body: { name: "Engine tag" } })).body;
    await api("/chat_tagging/", { body: { tag: tag.id, chat: waId } });
    await eventually(async () =>
      expect(await assignment(waId)).toEqual({ wa_id: waId, assigned_to_user: null, assigned_group: agents.id }),
    );
    const tagging = engine.received.find((r) => r.body.chat_tagging)!.body;
    expect(tagging.tagged_chats).toEqual([
      { chat: expect.objectContaining({ wa_id: waId }), new_tag: { name: "Engine tag", id: tag.id, extra: {} } },
    ]);

    const log = await api("/rule_engine/deliveries/?state=delivered");
    const call = log.body.results.find((d: any) => d.event_type === "chat_tagging");
    expect(call.attempts[0].error).toBe(
      "assignment[1] ignored: chat 999 is not in this inbox; assignment[2] ignored: ✖ exactly one of message_id and chat_id is required",
    );
    expect((await api("/rule_engine/", { method: "PATCH", body: { mode: "default" } })).status).toBe(200);
  });

  it("logs why it calls nothing while its headers are sealed under another SECRET_KEY, and calls once they are sent again", async () => {
    const engine = subscriber(() => HttpResponse.json({}));
    await api("/rule_engine/", { method: "PUT", body: { mode: "custom", url: engine.url, headers: { Authorization: "Bearer one" } } });
    const sealed = await encryptJson("another-secret-key-0123456789abcdef", { Authorization: "Bearer one" });
    await env.DB.prepare("UPDATE rule_engines SET headers = ? WHERE inbox_id = ?").bind(sealed, ws.inboxId).run();
    await postWebhook(ws.inboxId, cloudEnvelope({ messages: [textMessage(newWaId(), "sealed headers")] }));
    const failed = await eventually(async () => {
      const page = await api("/rule_engine/deliveries/?state=failed");
      expect(page.body.results).toHaveLength(1);
      return page.body.results[0];
    });
    expect(failed.attempts[0].error).toBe(
      "Not sent: The rule engine's headers cannot be decrypted with this deployment's SECRET_KEY (has it changed since?): send them again (PATCH rule_engine/ with headers).",
    );
    expect(engine.received).toHaveLength(0);
    await api("/rule_engine/", { method: "PATCH", body: { headers: { Authorization: "Bearer two" } } });
    expect((await api(`/rule_engine/deliveries/${failed.id}/redeliver/`, { method: "POST" })).status).toBe(202);
    await eventually(() => expect(engine.received).toHaveLength(1));
    expect(engine.received[0]!.headers.authorization).toBe("Bearer two");
    expect((await api("/rule_engine/", { method: "PATCH", body: { mode: "default" } })).status).toBe(200);
  });
});
