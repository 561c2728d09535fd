import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { SEARCH_COUNT_CAP } from "../../src/db/queries/messages";
import { call, callJson } from "../helpers/api";
import { createUser, createWorkspace } from "../helpers/factories";
import { APP_SECRET, cloudEnvelope, contact, postWebhook, textMessage, VERIFY_TOKEN } from "../helpers/whatsapp";

const sandbox = () => createWorkspace({ config: { app_secret: APP_SECRET, verify_token: VERIFY_TOKEN } });
const ANN = "4915100000001";
const BOB = "4915100000002";

async function seed() {
  const ws = await sandbox();
  const admin = await createUser(ws, "admin");
  const msgs = [
    textMessage(ANN, "Hello, I need a quote for blue widgets", 1700000000),
    textMessage(ANN, "Also for red gadgets", 1700000000),
    textMessage(BOB, "Wie ist der Preis für Zubehör?", 1700000100),
  ];
  const res = await postWebhook(
    ws.inboxId,
    cloudEnvelope({ contacts: [contact(ANN, "Ann Smith"), contact(BOB, "Bob Müller")], messages: msgs }),
  );
  expect(res.status).toBe(200);
  return { ws, admin, msgs };
}

describe("GET /api/v1/messages/", () => {
  it("returns the RetrieveMessage shape, newest first, equal timestamps in arrival order", async () => {
    const { ws, admin, msgs } = await seed();
    // A redelivery changes neither the rows nor the counters the count is made from.
    await postWebhook(ws.inboxId, cloudEnvelope({ messages: msgs }));
    const res = await callJson(`${ws.prefix}/messages/`, { token: admin.token });
    expect(res.status).toBe(200);
    expect(res.body.count).toBe(3);
    expect((await callJson(`${ws.prefix}/messages/?since_time=0`, { token: admin.token })).body.count).toBe(3);
    expect(res.body.results.map((m: any) => m.id)).toEqual([msgs[2]!.id, msgs[1]!.id, msgs[0]!.id]);
    expect(res.body.results[2]).toEqual({
      id: msgs[0]!.id,
      waba_payload: msgs[0],
      waba_statuses: {},
      contact: {
        wa_id: ANN,
        waba_payload: { profile: { name: "Ann Smith" }, wa_id: ANN },
        initials: "AS",
        last_message_timestamp: 1700000000,
      },
      from_us: false,
      received: false,
      sender: null,
      context: null,
      customer_wa_id: ANN,
      tags: [],
    });
  });

  it("filters by wa_id, since_time and before_time, and by path wa_id", async () => {
    const { ws, admin, msgs } = await seed();
    const byQuery = await callJson(`${ws.prefix}/messages/?wa_id=${ANN}&limit=1`, { token: admin.token });
    expect(byQuery.body.count).toBe(2);
    expect(byQuery.body.results.map((m: any) => m.id)).toEqual([msgs[1]!.id]);
    expect(byQuery.body.next).toBe(`http://switchboard.test${ws.prefix}/messages/?wa_id=${ANN}&limit=1&offset=1`);
    const byPath = await callJson(`${ws.prefix}/messages/${BOB}/`, { token: admin.token });
    expect(byPath.body.results.map((m: any) => m.id)).toEqual([msgs[2]!.id]);
    const before = await callJson(`${ws.prefix}/messages/?before_time=1700000100`, { token: admin.token });
    expect(before.body.count).toBe(2);
    const since = await callJson(`${ws.prefix}/messages/?since_time=1700000100`, { token: admin.token });
    expect(since.body.results.map((m: any) => m.id)).toEqual([msgs[2]!.id]);
    const bad = await callJson(`${ws.prefix}/messages/?since_time=yesterday`, { token: admin.token });
    expect(bad).toMatchObject({ status: 400, body: { since_time: [expect.any(String)] } });
  });

  it("searches text (prefix, diacritics-insensitive), contact names and number fragments", async () => {
    const { ws, admin, msgs } = await seed();
    const search = async (q: string) =>
      (await callJson(`${ws.prefix}/messages/?search=${encodeURIComponent(q)}`, { token: admin.token })).body.results.map((m: any) => m.id);
    expect(await search("widgets")).toEqual([msgs[0]!.id]);
    expect(await search("wid")).toEqual([msgs[0]!.id]);
    expect(await search("zubehor")).toEqual([msgs[2]!.id]);
    expect(await search("red gadg")).toEqual([msgs[1]!.id]);
    expect(await search("Müller")).toEqual([msgs[2]!.id]);
    expect(await search("00000002")).toEqual([msgs[2]!.id]);
    expect(await search("nothing-like-this")).toEqual([]);
    expect(await search("%")).toEqual([]);
  });

  it("keeps one inbox's search and lists away from another's", async () => {
    const a = await seed();
    const b = await seed();
    const res = await callJson(`${a.ws.prefix}/messages/?search=widgets`, { token: a.admin.token });
    expect(res.body.results.map((m: any) => m.id)).toEqual([a.msgs[0]!.id]);
    const other = await callJson(`${a.ws.prefix}/messages/?search=widgets`, { token: b.admin.token });
    expect(other.status).toBe(404);
  });

  it("marks returned messages as received for the caller only", async () => {
    const { ws, admin } = await seed();
    const app = await createUser(ws, "app");
    await callJson(`${ws.prefix}/messages/?wa_id=${ANN}&mark_as_received=true`, { token: admin.token });
    const mine = await callJson(`${ws.prefix}/chats/`, { token: admin.token });
    expect(mine.body.results.map((c: any) => [c.wa_id, c.new_messages])).toEqual([
      [BOB, 1],
      [ANN, 0],
    ]);
    const theirs = await callJson(`${ws.prefix}/chats/`, { token: app.token });
    expect(theirs.body.results.map((c: any) => c.new_messages)).toEqual([1, 2]);
    const msgs = await callJson(`${ws.prefix}/messages/?wa_id=${ANN}`, { token: admin.token });
    expect(msgs.body.results.map((m: any) => m.received)).toEqual([true, true]);
  });
});

describe("chats, persons and marks", () => {
  it("lists chats with contact, last message and per-user new_messages", async () => {
    const { ws, admin, msgs } = await seed();
    const res = await callJson(`${ws.prefix}/chats/`, { token: admin.token });
    expect(res.body.count).toBe(2);
    const [bob, ann] = res.body.results;
    expect(bob).toMatchObject({ wa_id: BOB, new_messages: 1, assigned_to_user: null, assigned_group: null, tags: [] });
    expect(ann.last_message.id).toBe(msgs[1]!.id);
    expect(ann.contact.initials).toBe("AS");
    const one = await callJson(`${ws.prefix}/chats/${ANN}/`, { token: admin.token });
    expect(one.body).toEqual(ann);
    expect((await callJson(`${ws.prefix}/chats/4900000000/`, { token: admin.token })).status).toBe(404);
  });

  it("counts new_messages up to 100, exactly below that", async () => {
    const { ws, admin } = await seed();
    const many = Array.from({ length: 104 }, (_, i) => textMessage(ANN, `unread ${i}`, 1700001000 + i));
    expect((await postWebhook(ws.inboxId, cloudEnvelope({ messages: many }))).status).toBe(200);
    const newMessages = async () => (await callJson(`${ws.prefix}/chats/${ANN}/`, { token: admin.token })).body.new_messages;
    expect(await newMessages()).toBe(100);
    // Received up to the 10th newest: 9 newer ones are left.
    const mark = await callJson(`${ws.prefix}/mark_as_received/`, {
      token: admin.token,
      body: { timestamp: 1700001094, customer_wa_id: ANN },
    });
    expect(mark.status).toBe(200);
    expect(await newMessages()).toBe(9);
  });

  it("POST /mark_as_received/ sets the mark; unknown chats are 404", async () => {
    const { ws, admin } = await seed();
    const ok = await callJson(`${ws.prefix}/mark_as_received/`, {
      token: admin.token,
      body: { timestamp: 1700000000, customer_wa_id: ANN },
    });
    expect(ok).toMatchObject({ status: 200, body: {} });
    const chat = await callJson(`${ws.prefix}/chats/${ANN}/`, { token: admin.token });
    expect(chat.body.new_messages).toBe(0);
    const missing = await callJson(`${ws.prefix}/mark_as_received/`, {
      token: admin.token,
      body: { timestamp: 1, customer_wa_id: "1234" },
    });
    expect(missing.status).toBe(404);
    const bad = await callJson(`${ws.prefix}/mark_as_received/`, { token: admin.token, body: { timestamp: "soon" } });
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.body).sort()).toEqual(["customer_wa_id", "timestamp"]);
  });

  it("lists persons with initials and search", async () => {
    const { ws, admin } = await seed();
    const all = await callJson(`${ws.prefix}/persons/`, { token: admin.token });
    expect(all.body.results.map((p: any) => [p.wa_id, p.initials])).toEqual([
      [BOB, "BM"],
      [ANN, "AS"],
    ]);
    const found = await callJson(`${ws.prefix}/persons/?search=ann`, { token: admin.token });
    expect(found.body.results.map((p: any) => p.wa_id)).toEqual([ANN]);
    expect((await callJson(`${ws.prefix}/persons/${BOB}/`, { token: admin.token })).body.contact).toBeUndefined();
  });
});

describe("read permission", () => {
  it("filters chats, messages and persons to what the user may read", async () => {
    const { ws, admin } = await seed();
    const agent = await createUser(ws, "user");
    const none = await createUser(ws, "user");
    await env.DB.prepare("UPDATE users SET can_read_chats = 'none' WHERE id = ?").bind(none.id).run();
    // A regular user ("group" access) sees only chats assigned to them or their groups.
    expect((await callJson(`${ws.prefix}/chats/`, { token: agent.token })).body.count).toBe(0);
    await ws.shard.prepare("UPDATE chats SET assigned_to_user = ? WHERE inbox_id = ? AND wa_id = ?").bind(agent.id, ws.inboxId, ANN).run();
    expect((await callJson(`${ws.prefix}/chats/`, { token: agent.token })).body.results.map((c: any) => c.wa_id)).toEqual([ANN]);
    expect((await callJson(`${ws.prefix}/messages/`, { token: agent.token })).body.count).toBe(2);
    expect((await callJson(`${ws.prefix}/messages/${BOB}/`, { token: agent.token })).body.count).toBe(0);
    expect((await callJson(`${ws.prefix}/chats/${BOB}/`, { token: agent.token })).status).toBe(404);
    expect((await callJson(`${ws.prefix}/persons/`, { token: agent.token })).body.count).toBe(1);
    expect((await callJson(`${ws.prefix}/chats/?assigned_to_me=true`, { token: agent.token })).body.count).toBe(1);
    expect((await callJson(`${ws.prefix}/chats/?assigned_to_me=true`, { token: admin.token })).body.count).toBe(0);
    expect((await callJson(`${ws.prefix}/messages/`, { token: none.token })).body.count).toBe(0);
    const foreignGroup = await callJson(`${ws.prefix}/chats/?assigned_group=999999`, { token: agent.token });
    expect(foreignGroup).toMatchObject({ status: 400, body: { assigned_group: ["Only groups you are a member of can be used."] } });
  });
});

describe("search at volume", () => {
  it("pages dense and sparse hits newest first with exact counts, also through permission filters", async () => {
    const ws = await sandbox();
    const admin = await createUser(ws, "admin");
    const agent = await createUser(ws, "user");
    // 2,100 hits (past the dense-search threshold and the whole-inbox count's cap) in two chats, timestamps out of arrival order.
    const msgs = Array.from({ length: 2100 }, (_, i) =>
      textMessage(i % 2 ? ANN : BOB, `widget number ${i}${i === 7 ? " rare" : ""}`, 1700000000 + ((i * 7919) % 2100)),
    );
    for (let i = 0; i < msgs.length; i += 700)
      expect((await postWebhook(ws.inboxId, cloudEnvelope({ messages: msgs.slice(i, i + 700) }))).status).toBe(200);
    const newest = [...msgs]
      .sort((a, b) => Number(b.timestamp) - Number(a.timestamp))
      .slice(0, 20)
      .map((m) => m.id);

    const dense = await callJson(`${ws.prefix}/messages/?search=widget&limit=20`, { token: admin.token });
    expect(dense.body.count).toBe(SEARCH_COUNT_CAP);
    expect(dense.body.results.map((m: any) => m.id)).toEqual(newest);
    const sparse = await callJson(`${ws.prefix}/messages/?search=rare`, { token: admin.token });
    expect(sparse.body).toMatchObject({ count: 1, results: [{ id: msgs[7]!.id }] });

    await ws.shard.prepare("UPDATE chats SET assigned_to_user = ? WHERE inbox_id = ? AND wa_id = ?").bind(agent.id, ws.inboxId, ANN).run();
    const filtered = await callJson(`${ws.prefix}/messages/?search=widget&limit=5`, { token: agent.token });
    expect(filtered.body.count).toBe(1050);
    expect(filtered.body.results.every((m: any) => m.customer_wa_id === ANN)).toBe(true);
    const timed = await callJson(`${ws.prefix}/messages/?search=widget&before_time=1700000010`, { token: admin.token });
    expect(timed.body.count).toBe(10);
    const all = await callJson(`${ws.prefix}/messages/?limit=1`, { token: agent.token });
    expect(all.body.count).toBe(1050);
  }, 60_000);
});

describe("large pages", () => {
  it("serves limit=1000 (more ids than one D1 statement may bind)", async () => {
    const ws = await sandbox();
    const admin = await createUser(ws, "admin");
    const msgs = Array.from({ length: 250 }, (_, i) => textMessage(ANN, `bulk ${i}`, 1700000000 + i));
    await postWebhook(ws.inboxId, cloudEnvelope({ messages: msgs }));
    const res = await callJson(`${ws.prefix}/messages/?limit=1000`, { token: admin.token });
    expect(res.body.count).toBe(250);
    expect(res.body.results.map((m: any) => m.id)).toEqual(msgs.map((m) => m.id).reverse());
  });
});

describe("wa_id formatting", () => {
  it("accepts phone numbers with formatting wherever a wa_id is given", async () => {
    const { ws, admin } = await seed();
    const formatted = encodeURIComponent("+49 151-0000-0001");
    expect((await callJson(`${ws.prefix}/chats/${formatted}/`, { token: admin.token })).body.wa_id).toBe(ANN);
    expect((await callJson(`${ws.prefix}/messages/?wa_id=${formatted}`, { token: admin.token })).body.count).toBe(2);
    expect((await callJson(`${ws.prefix}/persons/${formatted}/`, { token: admin.token })).body.wa_id).toBe(ANN);
    const mark = await callJson(`${ws.prefix}/mark_as_received/`, {
      token: admin.token,
      body: { timestamp: 1700000000, customer_wa_id: "+49 151 0000 0001" },
    });
    expect(mark.status).toBe(200);
  });
});

describe("search input limits", () => {
  it("answers long and non-Latin searches (D1 caps LIKE patterns at 50 bytes; names use instr)", async () => {
    const { ws, admin } = await seed();
    const long = "widgets ".repeat(20).trim();
    const res = await callJson(`${ws.prefix}/messages/?search=${encodeURIComponent(long)}`, { token: admin.token });
    expect(res.status).toBe(200);
    expect(res.body.count).toBe(1);
    const cjk = await callJson(
      `${ws.prefix}/chats/?search=${encodeURIComponent("東京都渋谷区神南一丁目二番地三号東京都渋谷区神南一丁目")}`,
      { token: admin.token },
    );
    expect(cjk).toMatchObject({ status: 200, body: { count: 0 } });
    const upper = await callJson(`${ws.prefix}/persons/?search=SMITH`, { token: admin.token });
    expect(upper.body.results.map((p: any) => p.wa_id)).toEqual([ANN]);
  });

  it("needs the CSRF token for mark_as_received=true under session auth", async () => {
    const { ws, admin } = await seed();
    const page = await call(`/inboxes/${ws.inboxId}/login/`);
    const csrf = /csrftoken=([0-9a-f]+)/.exec(page.headers.get("set-cookie") ?? "")![1]!;
    const login = await call(`/inboxes/${ws.inboxId}/login/`, {
      raw: new URLSearchParams({ username: admin.username, password: admin.password, csrfmiddlewaretoken: csrf }),
      headers: { cookie: `csrftoken=${csrf}`, "content-type": "application/x-www-form-urlencoded" },
    });
    const session = /sessionid=([0-9a-f]+)/.exec(login.headers.getSetCookie().join(";"))![1];
    const cookie = `sessionid=${session}; csrftoken=${csrf}`;
    const forged = await callJson(`${ws.prefix}/messages/?mark_as_received=true`, { headers: { cookie } });
    expect(forged).toMatchObject({ status: 403, body: { detail: "CSRF Failed: CSRF token missing." } });
    const ok = await callJson(`${ws.prefix}/messages/?mark_as_received=true`, { headers: { cookie, "x-csrftoken": csrf } });
    expect(ok.status).toBe(200);
  });
});
