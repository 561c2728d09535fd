import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { callJson } from "../helpers/api";
import { createUser, createWorkspace } from "../helpers/factories";
import { APP_SECRET, cloudEnvelope, contact, postWebhook, textMessage, VERIFY_TOKEN } from "../helpers/whatsapp";

const sandbox = () => createWorkspace({ config: { app_secret: APP_SECRET, verify_token: VERIFY_TOKEN } });
const streamOf = async (inboxId: string) =>
  runInDurableObject(env.INBOX.getByName(inboxId), (_o, state) =>
    state.storage.sql
      .exec<{ seq: number; type: string; refs: string; state: number }>("SELECT seq, type, refs, state FROM events ORDER BY seq")
      .toArray(),
  );
/** Events are drained after the answer: wait until every one is sent. */
async function drained(inboxId: string) {
  for (let i = 0; i < 50; i++) {
    const events = await streamOf(inboxId);
    if (events.every((e) => e.state === 2)) return events;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`events not drained: ${JSON.stringify(await streamOf(inboxId))}`);
}

async function withPermissions(ws: { prefix: string }, admin: { token: string }, role: "user", permissions: Record<string, unknown>) {
  const user = await createUser(ws as Parameters<typeof createUser>[0], role);
  const res = await callJson(`${ws.prefix}/users/${user.id}/`, { method: "PATCH", token: admin.token, body: { permissions } });
  if (res.status !== 200) throw new Error(JSON.stringify(res.body));
  return user;
}

async function setup() {
  const ws = await sandbox();
  const admin = await createUser(ws, "admin");
  const ann = "4915100000101";
  const m = textMessage(ann, "I need an agent");
  await postWebhook(ws.inboxId, cloudEnvelope({ contacts: [contact(ann, "Ann")], messages: [m] }));
  const tag = await callJson(`${ws.prefix}/tags/`, { token: admin.token, body: { name: "Agent needed", web_inbox_color: "#f00" } });
  return { ws, admin, ann, m, tag: tag.body as { id: number; name: string; web_inbox_color: string } };
}

describe("tags", () => {
  it("creates, lists, changes and refuses duplicate names in any case", async () => {
    const { ws, admin, tag } = await setup();
    expect(tag).toEqual({ id: expect.any(Number), name: "Agent needed", web_inbox_color: "#f00" });
    const dup = await callJson(`${ws.prefix}/tags/`, { token: admin.token, body: { name: "AGENT NEEDED" } });
    expect(dup).toMatchObject({ status: 400, body: { name: ["tag with this name already exists."] } });
    const blank = await callJson(`${ws.prefix}/tags/`, { token: admin.token, body: { name: " " } });
    expect(blank).toMatchObject({ status: 400, body: { name: ["This field may not be blank."] } });
    const missing = await callJson(`${ws.prefix}/tags/`, { token: admin.token, body: {} });
    expect(missing.body).toEqual({ name: ["This field is required."] });
    const patched = await callJson(`${ws.prefix}/tags/${tag.id}/`, {
      method: "PATCH",
      token: admin.token,
      body: { web_inbox_color: null },
    });
    expect(patched.body).toEqual({ ...tag, web_inbox_color: null });
    const put = await callJson(`${ws.prefix}/tags/${tag.id}/`, { method: "PUT", token: admin.token, body: { name: "Agent" } });
    expect(put.body).toEqual({ id: tag.id, name: "Agent", web_inbox_color: null });
    const list = await callJson(`${ws.prefix}/tags/?limit=1`, { token: admin.token });
    expect(list.body).toMatchObject({ count: 1, results: [{ id: tag.id, name: "Agent" }] });
    const other = await sandbox();
    const otherAdmin = await createUser(other, "admin");
    expect((await callJson(`${other.prefix}/tags/${tag.id}/`, { token: otherAdmin.token })).status).toBe(404);
  });

  it("needs can_use_tags to create, and admin to delete", async () => {
    const { ws, admin, tag } = await setup();
    const noTags = await withPermissions(ws, admin, "user", { can_use_tags: false, can_read_chats: "all", can_write_to_chats: "all" });
    const user = await createUser(ws, "user");
    expect((await callJson(`${ws.prefix}/tags/`, { token: noTags.token, body: { name: "x" } })).status).toBe(403);
    expect((await callJson(`${ws.prefix}/tags/`, { token: noTags.token })).status).toBe(200);
    const del = await callJson(`${ws.prefix}/tags/${tag.id}/`, { method: "DELETE", token: user.token });
    expect(del).toMatchObject({ status: 403, body: { detail: "You do not have permission to perform this action." } });
  });
});

describe("taggings", () => {
  it("tags a chat once; delete (also without the slash) and tag again; shows the tag on the chat and filters by it", async () => {
    const { ws, admin, ann, tag } = await setup();
    const created = await callJson(`${ws.prefix}/chat_tagging/`, {
      token: admin.token,
      body: { tag: tag.id, chat: ann, extra: { score: 1 } },
    });
    expect(created).toMatchObject({ status: 201, body: { id: expect.any(Number), tag: tag.id, chat: ann, extra: { score: 1 } } });
    const again = await callJson(`${ws.prefix}/chat_tagging/`, { token: admin.token, body: { tag: tag.id, chat: ann } });
    expect(again).toMatchObject({ status: 400, body: { non_field_errors: ["The fields tag, chat must make a unique set."] } });
    const chat = await callJson(`${ws.prefix}/chats/${ann}/`, { token: admin.token });
    expect(chat.body.tags).toEqual([
      { id: tag.id, name: "Agent needed", web_inbox_color: "#f00", tagging_id: created.body.id, extra: { score: 1 } },
    ]);
    const filtered = await callJson(`${ws.prefix}/chats/?chat_tag_id=${tag.id}`, { token: admin.token });
    expect(filtered.body.count).toBe(1);
    const messages = await callJson(`${ws.prefix}/messages/?chat_tag_id=${tag.id}`, { token: admin.token });
    expect(messages.body.count).toBe(1);
    expect((await callJson(`${ws.prefix}/chats/?chat_tag_id=${tag.id + 1000}`, { token: admin.token })).body.count).toBe(0);
    expect((await callJson(`${ws.prefix}/chat_tagging/${created.body.id}/`, { token: admin.token })).body).toEqual(created.body);
    const removed = await callJson(`${ws.prefix}/chat_tagging/${created.body.id}`, { method: "DELETE", token: admin.token });
    expect(removed.status).toBe(204);
    expect((await callJson(`${ws.prefix}/chat_tagging/${created.body.id}/`, { token: admin.token })).status).toBe(404);
    const recreated = await callJson(`${ws.prefix}/chat_tagging/`, { token: admin.token, body: { tag: tag.id, chat: ann } });
    expect(recreated.status).toBe(201);
    const events = await callJson(`${ws.prefix}/chat_tagging_events/?wa_id=${ann}`, { token: admin.token });
    expect(events.body.count).toBe(3);
    expect(events.body.results.map((e: { action: string }) => e.action)).toEqual(["added", "removed", "added"]);
    expect(events.body.results[1]).toMatchObject({
      action: "removed",
      tag: { id: tag.id, name: "Agent needed", web_inbox_color: "#f00" },
      chat: ann,
      extra: { score: 1 },
      done_by: { id: admin.id, username: admin.username },
    });
  });

  it("tagging a message tags its chat; unknown tags and messages are 400s on their field", async () => {
    const { ws, admin, ann, m, tag } = await setup();
    const created = await callJson(`${ws.prefix}/message_tagging/`, {
      token: admin.token,
      body: { tag: tag.id, message: m.id, extra: null },
    });
    expect(created).toMatchObject({ status: 201, body: { tag: tag.id, message: m.id, extra: null } });
    const listed = await callJson(`${ws.prefix}/messages/${ann}/`, { token: admin.token });
    expect(listed.body.results[0].tags).toMatchObject([{ id: tag.id, tagging_id: created.body.id }]);
    const chat = await callJson(`${ws.prefix}/chats/${ann}/`, { token: admin.token });
    expect(chat.body.tags).toMatchObject([{ id: tag.id }]);
    expect(chat.body.last_message.tags).toMatchObject([{ id: tag.id }]);
    const byMessage = await callJson(`${ws.prefix}/message_tagging_events/?message_id=${m.id}`, { token: admin.token });
    expect(byMessage.body.results).toMatchObject([{ action: "added", message: m.id, tag: { id: tag.id } }]);
    expect((await callJson(`${ws.prefix}/chat_tagging_events/`, { token: admin.token })).body.count).toBe(1);
    const noTag = await callJson(`${ws.prefix}/message_tagging/`, { token: admin.token, body: { tag: 999999, message: m.id } });
    expect(noTag.body).toEqual({ tag: ['Invalid pk "999999" - object does not exist.'] });
    const noMessage = await callJson(`${ws.prefix}/message_tagging/`, { token: admin.token, body: { tag: tag.id, message: "wamid.none" } });
    expect(noMessage.body).toEqual({ message: ["Object with id=wamid.none does not exist."] });
    const dup = await callJson(`${ws.prefix}/message_tagging/`, { token: admin.token, body: { tag: tag.id, message: m.id } });
    expect(dup.body).toEqual({ non_field_errors: ["The fields tag, message must make a unique set."] });
  });

  it("answers a chat the caller may not read as one that does not exist", async () => {
    const { ws, admin, ann, tag } = await setup();
    const blind = await withPermissions(ws, admin, "user", { can_use_tags: true, can_read_chats: "none", can_write_to_chats: "none" });
    const tagging = await callJson(`${ws.prefix}/chat_tagging/`, { token: admin.token, body: { tag: tag.id, chat: ann } });
    const create = await callJson(`${ws.prefix}/chat_tagging/`, { token: blind.token, body: { tag: tag.id, chat: ann } });
    expect(create.body).toEqual({ chat: [`Object with wa_id=${ann} does not exist.`] });
    expect((await callJson(`${ws.prefix}/chat_tagging/${tagging.body.id}/`, { token: blind.token })).status).toBe(404);
    expect((await callJson(`${ws.prefix}/chat_tagging_events/`, { token: blind.token })).body.count).toBe(0);
  });

  it("deleting a tag removes its taggings, each with a removed event", async () => {
    const { ws, admin, ann, m, tag } = await setup();
    await callJson(`${ws.prefix}/message_tagging/`, { token: admin.token, body: { tag: tag.id, message: m.id } });
    expect((await callJson(`${ws.prefix}/tags/${tag.id}/`, { method: "DELETE", token: admin.token })).status).toBe(204);
    expect((await callJson(`${ws.prefix}/chats/${ann}/`, { token: admin.token })).body.tags).toEqual([]);
    const chatEvents = await callJson(`${ws.prefix}/chat_tagging_events/`, { token: admin.token });
    expect(chatEvents.body.results.map((e: { action: string }) => e.action)).toEqual(["removed", "added"]);
    const messageEvents = await callJson(`${ws.prefix}/message_tagging_events/`, { token: admin.token });
    expect(messageEvents.body.results[0]).toMatchObject({ action: "removed", tag: { name: "Agent needed" } });
  });
});

describe("the event stream", () => {
  it("holds each first status and tagging once, in stream order, and drains them to the queue; a message's event is sent straight", async () => {
    const { ws, admin, ann, m, tag } = await setup();
    const status = { id: m.id, status: "read", timestamp: "1700000000" };
    for (let i = 0; i < 3; i++) await postWebhook(ws.inboxId, cloudEnvelope({ messages: [m], statuses: [status] }));
    await Promise.all([1, 2, 3].map(() => postWebhook(ws.inboxId, cloudEnvelope({ messages: [m], statuses: [status] }))));
    await callJson(`${ws.prefix}/message_tagging/`, { token: admin.token, body: { tag: tag.id, message: m.id } });
    const events = await drained(ws.inboxId);
    // The message's event went to the queue before its webhook was answered (test/inbound/inbox-object.test.ts), never into the log.
    expect(events.map((e) => e.type)).toEqual(["status", "message_tagging", "chat_tagging"]);
    // In stream order (the redeliveries' message events, sent again, took numbers in between).
    const seqs = events.map((e) => e.seq);
    expect(seqs).toEqual([...seqs].sort((x, y) => x - y));
    expect(JSON.parse(events[1]?.refs ?? "{}")).toEqual({ action: "added", tag_id: tag.id, wa_id: ann, tagging_id: null, wamid: m.id });
  });
});
