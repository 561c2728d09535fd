import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { callJson, platform } from "../helpers/api";
import { createUser, createWorkspace } from "../helpers/factories";
import { APP_SECRET, cloudEnvelope, contact, newWaId, postWebhook, textMessage } from "../helpers/whatsapp";

/** Concurrent writes of the contact dialects: the unique indexes decide, and nothing is lost or doubled. */

const CHANNEL = "+49 151 12345678"; // the factories' inbox number
const RACERS = 8;

async function world() {
  const ws = await createWorkspace({ config: { app_secret: APP_SECRET } });
  const admin = await createUser(ws, "admin");
  const made = await platform(`/workspaces/${ws.id}/api_keys`, { body: { name: "CRM" } });
  expect(made.status).toBe(201);
  const hookPath = new URL(made.body.contact_webhook_url as string).pathname;
  const count = async (sql: string, ...params: unknown[]) =>
    (
      await env.DB.prepare(sql)
        .bind(...params)
        .first<{ n: number }>()
    )?.n;
  return {
    ws,
    admin,
    upsert: (body: Record<string, unknown>) =>
      callJson("/api/public/customer/upsert/info", {
        body: { channel: "whatsapp", channel_phone_number: CHANNEL, ...body },
        headers: { "x-api-key": made.body.key },
      }),
    hook: (body: unknown) => callJson(hookPath, { body }),
    api: (path: string) => callJson(`${ws.prefix}${path}`, { token: admin.token }),
    contacts: () => count("SELECT count(*) AS n FROM contacts WHERE workspace_id = ?", ws.id),
    count,
  };
}

const statuses = (answers: { status: number }[]) => answers.map((r) => r.status).sort();

describe("racing seed 003 calls", () => {
  it("make one contact of concurrent calls for one phone: one 201, the rest 200 on the same id", async () => {
    const w = await world();
    const phone = newWaId();
    const answers = await Promise.all(
      Array.from({ length: RACERS }, (_, i) => w.upsert({ contact_phone_number: i % 2 ? `+${phone}` : `00${phone}` })),
    );
    expect(statuses(answers)).toEqual([...Array(RACERS - 1).fill(200), 201]);
    expect(new Set(answers.map((r) => r.body.id)).size).toBe(1);
    expect(answers.every((r) => r.body.phone === `+${phone}`)).toBe(true);
    expect(await w.contacts()).toBe(1);
    expect(await w.count("SELECT count(*) AS n FROM contact_urns WHERE workspace_id = ?", w.ws.id)).toBe(1);
  });

  it("make one contact of concurrent calls carrying one identifier value with different new phones", async () => {
    const w = await world();
    const field = await callJson("/api/v2/fields.json", {
      token: w.admin.token,
      body: { label: "RUT", value_type: "text", identifier: true },
    });
    expect(field.status).toBe(201);
    const phones = Array.from({ length: RACERS }, () => newWaId());
    const answers = await Promise.all(
      phones.map((p) => w.upsert({ contact_phone_number: `+${p}`, custom_field_values: [{ key: "rut", value: "76.543.210-K" }] })),
    );
    expect({ statuses: statuses(answers), bodies: answers.filter((r) => r.status >= 400).map((r) => r.body) }).toEqual({
      statuses: [...Array(RACERS - 1).fill(200), 201],
      bodies: [],
    });
    const ids = new Set(answers.map((r) => r.body.id));
    expect(ids.size).toBe(1);
    expect(await w.contacts()).toBe(1);
    // The contact holds every number (the creator's first) and the value once.
    const [uuid] = [...ids];
    const v2 = await callJson(`/api/v2/contacts.json?uuid=${uuid}`, { token: w.admin.token });
    const urns = v2.body.results[0].urns as string[];
    const creator = answers.find((r) => r.status === 201)?.body.phone as string;
    expect(urns[0]).toBe(`whatsapp:${creator.slice(1)}`);
    expect([...urns].sort()).toEqual(phones.map((p) => `whatsapp:${p}`).sort());
    expect(v2.body.results[0].fields).toEqual({ rut: "76.543.210-K" });
    expect(await w.count("SELECT count(*) AS n FROM contact_field_values WHERE workspace_id = ?", w.ws.id)).toBe(1);
  });
});

describe("racing webhook upserts", () => {
  it("create a new label once, whichever call wins, and count every member", async () => {
    const w = await world();
    const phones = Array.from({ length: RACERS }, () => newWaId());
    const answers = await Promise.all(phones.map((p) => w.hook({ contact: { phone: `+${p}`, labels: "Black Friday, early birds" } })));
    expect({ statuses: statuses(answers), bodies: answers.filter((r) => r.status !== 200).map((r) => r.body) }).toEqual({
      statuses: Array(RACERS).fill(200),
      bodies: [],
    });
    expect(answers.every((r) => r.body.created === true)).toBe(true);
    const groups = (await callJson("/api/v2/groups.json", { token: w.admin.token })).body.results;
    expect(groups.map((g: { name: string; count: number }) => [g.name, g.count]).sort()).toEqual([
      ["Black Friday", RACERS],
      ["early birds", RACERS],
    ]);
    // Every answer names the same two groups.
    const uuids = new Set(answers.flatMap((r) => r.body.contact.groups.map((g: { uuid: string }) => g.uuid)));
    expect([...uuids].sort()).toEqual(groups.map((g: { uuid: string }) => g.uuid).sort());
    const members = await w.count(
      "SELECT count(*) AS n FROM contact_group_members m JOIN contact_groups g ON g.id = m.group_id WHERE g.workspace_id = ?",
      w.ws.id,
    );
    expect(members).toBe(2 * RACERS);
  });

  it("make one contact and one membership of concurrent calls for one phone with a new label", async () => {
    const w = await world();
    const phone = newWaId();
    const answers = await Promise.all(
      Array.from({ length: RACERS }, () => w.hook({ contact: { phone: `+${phone}`, labels: "Newsletter" } })),
    );
    expect(statuses(answers)).toEqual(Array(RACERS).fill(200));
    expect(answers.filter((r) => r.body.created).length).toBe(1);
    expect(new Set(answers.map((r) => r.body.contact.uuid)).size).toBe(1);
    expect(await w.contacts()).toBe(1);
    const groups = (await callJson("/api/v2/groups.json", { token: w.admin.token })).body.results;
    expect(groups.map((g: { name: string; count: number }) => [g.name, g.count])).toEqual([["Newsletter", 1]]);
  });
});

/**
 * Posts per stream at most. The purge goes round while messages land, so a stream that
 * never pauses keeps it going until its round limit (then the chat it leaves counts the
 * messages it deleted): bounded streams test the ordering, not that limit.
 */
const STREAM = 15;

type Posted = { wamid: string; text: string; sentAt: number; doneAt: number; status: number };

describe("delete_contact while messages for the number arrive", () => {
  it("leaves nothing of the number readable but whole messages that arrived meanwhile or after, and their own contact", async () => {
    const w = await world();
    const waId = newWaId();
    const token = `tok${waId}`;
    let ts = Math.floor(Date.now() / 1000) - 3_600;
    const posted: Posted[] = [];
    const post = async () => {
      const message = textMessage(waId, `${token} ${posted.length}`, ts++);
      const sentAt = Date.now();
      const res = await postWebhook(w.ws.inboxId, cloudEnvelope({ contacts: [contact(waId, "Eve")], messages: [message] }));
      posted.push({ wamid: message.id, text: message.text.body, sentAt, doneAt: Date.now(), status: res.status });
    };
    for (let i = 0; i < 5; i++) await post();
    const hooked = await w.hook({ contact: { phone: `+${waId}`, labels: "Doomed" } });
    expect(hooked.body.created).toBe(false);

    // Three streams of webhooks run while the delete does (each stops when it answers, or after STREAM posts).
    let answered: number | null = null;
    const streams = Array.from({ length: 3 }, async () => {
      for (let i = 0; i < STREAM && answered === null; i++) await post();
    });
    await post();
    const deleteSentAt = Date.now();
    const deleted = await w.hook({ delete_contact: `+${waId}` });
    answered = Date.now();
    await Promise.all(streams);
    expect(deleted.status).toBe(200);
    expect(deleted.body).toMatchObject({ operation: "delete_contact", deleted: { contacts: 1 } });
    // The chat is gone, or (messages still arriving after every pass) kept whole around them.
    expect([0, 1]).toContain(deleted.body.deleted.chats);
    expect(deleted.body.deleted.messages).toBeGreaterThanOrEqual(6);
    expect(posted.every((p) => p.status === 200)).toBe(true);
    const racing = posted.filter((p) => p.doneAt >= deleteSentAt);
    expect(racing.length).toBeGreaterThan(0);

    const stored = (
      await w.ws.shard
        .prepare("SELECT wamid FROM messages WHERE inbox_id = ? AND wa_id = ?")
        .bind(w.ws.inboxId, waId)
        .all<{ wamid: string }>()
    ).results.map((r) => r.wamid);
    // Nothing that had arrived before the delete was sent survives it.
    const before = new Set(posted.filter((p) => p.doneAt < deleteSentAt).map((p) => p.wamid));
    expect(stored.filter((wamid) => before.has(wamid))).toEqual([]);
    // Every message still stored is whole: its chat row exists and counts exactly the stored messages.
    const chat = await w.ws.shard
      .prepare("SELECT message_count FROM chats WHERE inbox_id = ? AND wa_id = ?")
      .bind(w.ws.inboxId, waId)
      .first<{ message_count: number }>();
    expect({ stored: stored.length, chat: chat?.message_count ?? null }).toEqual({
      stored: stored.length,
      chat: stored.length ? stored.length : null,
    });
    // The API reads exactly that.
    const listed = await w.api(`/messages/?wa_id=${waId}`);
    expect(listed.status).toBe(200);
    expect(listed.body.results.map((m: { id: string }) => m.id).sort()).toEqual([...stored].sort());
    expect((await w.api(`/chats/${waId}/`)).status).toBe(stored.length ? 200 : 404);
    const searched = await w.api(`/messages/?search=${token}`);
    expect(searched.body.results.map((m: { id: string }) => m.id).sort()).toEqual([...stored].sort());
    // A contact still holding the number is a new one, started by a message that raced the delete (after its
    // last pass) or came after it: never the deleted one, never older than the delete.
    const remaining = await env.DB.prepare(
      "SELECT c.uuid, c.created_on FROM contacts c JOIN contact_urns u ON u.contact_id = c.id WHERE u.workspace_id = ? AND u.identity = ?",
    )
      .bind(w.ws.id, `whatsapp:${waId}`)
      .all<{ uuid: string; created_on: number }>();
    for (const c of remaining.results) {
      expect({ uuid: c.uuid, newerThanTheDelete: c.created_on >= deleteSentAt * 1000 }).toEqual({ uuid: c.uuid, newerThanTheDelete: true });
    }
    expect(remaining.results.map((c) => c.uuid)).not.toContain(hooked.body.contact.uuid);
    const doomed = (await callJson("/api/v2/groups.json?name=Doomed", { token: w.admin.token })).body.results[0];
    expect(doomed.count).toBe(0);

    // A message after the answer is kept, with a contact of its own, and the number can be deleted again.
    await post();
    const after = posted.at(-1) as Posted;
    const person = await w.api(`/persons/${waId}/`);
    expect(person.status).toBe(200);
    expect(person.body.workspace_contact).toMatchObject({ name: "Eve", urns: [`whatsapp:${waId}`], groups: [] });
    expect(person.body.workspace_contact.uuid).not.toBe(hooked.body.contact.uuid);
    expect((await w.api(`/messages/?wa_id=${waId}`)).body.results.map((m: { id: string }) => m.id)).toContain(after.wamid);
    const again = await w.hook({ delete_contact: `+${waId}` });
    expect(again).toMatchObject({ status: 200, body: { deleted: { contacts: 1, chats: 1, messages: stored.length + 1 } } });
    expect(await w.contacts()).toBe(0);
  });
});
