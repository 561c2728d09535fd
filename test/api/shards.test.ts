import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { callJson, platform } from "../helpers/api";
import { createUser, type TestWorkspace } from "../helpers/factories";
import { APP_SECRET, cloudEnvelope, contact, postWebhook, textMessage } from "../helpers/whatsapp";

/** A workspace whose inbox is placed on `shard` (or by the placement rule when absent). */
async function workspaceOn(shard?: string): Promise<TestWorkspace & { placed: string }> {
  const ws = await platform("/workspaces", { body: { name: `Shard ${shard ?? "auto"}` } });
  const inbox = await platform(`/workspaces/${ws.body.id}/inboxes`, {
    body: { name: "Main", provider: "sandbox", config: { app_secret: APP_SECRET }, ...(shard ? { shard } : {}) },
  });
  expect(inbox.status).toBe(201);
  const d1 = (env as unknown as Record<string, D1Database>)[inbox.body.shard] as D1Database;
  return { id: ws.body.id, inboxId: inbox.body.id, prefix: `/inboxes/${inbox.body.id}/api/v1`, shard: d1, placed: inbox.body.shard };
}

const rows = async (d1: D1Database, table: string, inboxId: string) =>
  (await d1.prepare(`SELECT count(*) AS n FROM ${table} WHERE inbox_id = ?`).bind(inboxId).first<{ n: number }>())?.n;

/** Inbound messages, a tag, an assignment and a received mark in one inbox, through the API. */
async function traffic(ws: TestWorkspace, customer: string, word: string) {
  const admin = await createUser(ws, "admin");
  const inbound = [textMessage(customer, `${word} one`), textMessage(customer, `${word} two`)];
  expect((await postWebhook(ws.inboxId, cloudEnvelope({ contacts: [contact(customer, word)], messages: inbound }))).status).toBe(200);
  const tag = await callJson(`${ws.prefix}/tags/`, { token: admin.token, body: { name: word } });
  expect((await callJson(`${ws.prefix}/chat_tagging/`, { token: admin.token, body: { tag: tag.body.id, chat: customer } })).status).toBe(
    201,
  );
  const assign = await callJson(`${ws.prefix}/chat_assignment/${customer}/`, {
    method: "PATCH",
    token: admin.token,
    body: { assigned_to_user: admin.id },
  });
  expect(assign.status).toBe(200);
  expect((await callJson(`${ws.prefix}/messages/?wa_id=${customer}&mark_as_received=true`, { token: admin.token })).status).toBe(200);
  return { admin, tag: tag.body as { id: number; name: string } };
}

describe("message shards", () => {
  it("places new workspaces on the shard holding fewest inboxes, a workspace's next inbox beside its first, and refuses unknown shards", async () => {
    const first = await workspaceOn();
    const second = await workspaceOn();
    expect(new Set([first.placed, second.placed])).toEqual(new Set(["SHARD_1", "SHARD_2"]));
    const sibling = await platform(`/workspaces/${first.id}/inboxes`, { body: { name: "Second", provider: "sandbox" } });
    expect(sibling.body.shard).toBe(first.placed);
    const bad = await platform(`/workspaces/${first.id}/inboxes`, { body: { name: "X", provider: "sandbox", shard: "SHARD_9" } });
    expect(bad).toMatchObject({ status: 400, body: { shard: ["Enter DB, SHARD_1, SHARD_2."] } });
  });

  it("serves two inboxes on different shards in full, each shard holding only its own inbox's traffic, and neither sees the other", async () => {
    const a = await workspaceOn("SHARD_1");
    const b = await workspaceOn("SHARD_2");
    const ann = "4915100000301";
    const bob = "4915100000302";
    const one = await traffic(a, ann, "parcel");
    const two = await traffic(b, bob, "invoice");

    for (const [ws, user, customer, word, tag] of [
      [a, one.admin, ann, "parcel", one.tag],
      [b, two.admin, bob, "invoice", two.tag],
    ] as const) {
      const chats = await callJson(`${ws.prefix}/chats/`, { token: user.token });
      expect(chats.body).toMatchObject({ count: 1, results: [{ wa_id: customer, new_messages: 0 }] });
      expect(chats.body.results[0].tags.map((t: { name: string }) => t.name)).toEqual([word]);
      expect(chats.body.results[0].assigned_to_user.id).toBe(user.id);
      const found = await callJson(`${ws.prefix}/messages/?search=${word}`, { token: user.token });
      expect(found.body.count).toBe(2);
      expect((await callJson(`${ws.prefix}/chats/?chat_tag_id=${tag.id}`, { token: user.token })).body.count).toBe(1);
      const history = await callJson(`${ws.prefix}/chat_tagging_events/`, { token: user.token });
      expect(history.body.results.map((e: { tag: { name: string } }) => e.tag.name)).toEqual([word]);
    }
    // The rows sit on the inbox's own shard only: the directory and the other shard hold none of them.
    for (const table of ["messages", "chats", "chat_taggings", "tagging_events", "assignment_events", "received_marks"]) {
      expect(await rows(env.SHARD_1, table, a.inboxId)).toBeGreaterThan(0);
      expect(await rows(env.SHARD_2, table, b.inboxId)).toBeGreaterThan(0);
      for (const [d1, inboxId] of [
        [env.SHARD_2, a.inboxId],
        [env.SHARD_1, b.inboxId],
        [env.DB, a.inboxId],
        [env.DB, b.inboxId],
      ] as const) {
        expect({ table, inboxId, n: await rows(d1, table, inboxId) }).toEqual({ table, inboxId, n: 0 });
      }
    }
    // Neither tenant reaches the other: not with its token, not by search.
    expect((await callJson(`${b.prefix}/chats/`, { token: one.admin.token })).status).toBe(404);
    expect((await callJson(`${a.prefix}/messages/?search=invoice`, { token: one.admin.token })).body.count).toBe(0);
    expect((await callJson(`${a.prefix}/chats/${bob}/`, { token: one.admin.token })).status).toBe(404);
  });

  it("reads and changes a workspace whose inboxes sit on both shards as one", async () => {
    const ws = await workspaceOn("SHARD_1");
    const other = await platform(`/workspaces/${ws.id}/inboxes`, {
      body: { name: "Second", provider: "sandbox", config: { app_secret: APP_SECRET }, shard: "SHARD_2" },
    });
    expect(other.body.shard).toBe("SHARD_2");
    const admin = await createUser(ws, "admin");
    const ann = "4915100000311";
    const cleo = "4915100000312";
    await postWebhook(ws.inboxId, cloudEnvelope({ contacts: [contact(ann, "Ann")], messages: [textMessage(ann, "hi", 1_700_000_100)] }));
    await postWebhook(ws.inboxId, cloudEnvelope({ contacts: [contact(cleo, "Cleo")], messages: [textMessage(cleo, "hi", 1_700_000_200)] }));
    await postWebhook(
      other.body.id,
      cloudEnvelope({ contacts: [contact(ann, "Ann Again")], messages: [textMessage(ann, "again", 1_700_000_300)] }),
    );
    // The persons of both shards, each customer once (count included), newest first.
    const persons = await callJson(`${ws.prefix}/contacts/`, { token: admin.token });
    expect(persons.body.count).toBe(2);
    expect(persons.body.results.map((p: { name: string }) => p.name)).toEqual(["Ann Again", "Cleo"]);
    const first = await callJson(`${ws.prefix}/contacts/?limit=1`, { token: admin.token });
    expect(first.body).toMatchObject({ count: 2, results: [{ name: "Ann Again" }] });
    const next = await callJson(new URL(first.body.next).pathname + new URL(first.body.next).search, { token: admin.token });
    expect(next.body).toMatchObject({ count: 2, results: [{ name: "Cleo" }] });

    // A workspace tag tagging chats on both shards: deleting it removes both taggings.
    const tag = await callJson(`${ws.prefix}/tags/`, { token: admin.token, body: { name: "VIP" } });
    const otherPrefix = `/inboxes/${other.body.id}/api/v1`;
    for (const prefix of [ws.prefix, otherPrefix]) {
      expect((await callJson(`${prefix}/chat_tagging/`, { token: admin.token, body: { tag: tag.body.id, chat: ann } })).status).toBe(201);
    }
    expect((await callJson(`${ws.prefix}/tags/${tag.body.id}/`, { method: "DELETE", token: admin.token })).status).toBe(204);
    expect(await rows(env.SHARD_1, "chat_taggings", ws.inboxId)).toBe(0);
    expect(await rows(env.SHARD_2, "chat_taggings", other.body.id)).toBe(0);

    // A group with a chat on the second shard only is still "in use".
    const group = await callJson(`${ws.prefix}/groups/`, { token: admin.token, body: { name: "Agents" } });
    const assigned = await callJson(`${otherPrefix}/chat_assignment/${ann}/`, {
      method: "PATCH",
      token: admin.token,
      body: { assigned_group: group.body.id },
    });
    expect(assigned.status).toBe(200);
    const del = await callJson(`${ws.prefix}/groups/${group.body.id}/`, { method: "DELETE", token: admin.token });
    expect(del).toMatchObject({ status: 400, body: { detail: "This group has assigned chats: reassign them before deleting it." } });
  });
});
