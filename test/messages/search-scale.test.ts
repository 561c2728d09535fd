import { describe, expect, it } from "vitest";
import { SEARCH_COUNT_CAP } from "../../src/db/queries/messages";
import { inboxKey } from "../../src/services/search";
import { callJson } from "../helpers/api";
import { createUser, createWorkspace, inboxShard } from "../helpers/factories";

const CHAT = "4915100000077";
const T0 = 1_700_000_000;

/**
 * `n` messages straight into D1, each text "parcel <i>", message i at time `at(i)`, so the
 * ids' order and the timestamps' order can differ the way late webhooks make them differ.
 */
async function fill(inboxId: string, n: number, at: (i: number) => number) {
  const d1 = await inboxShard(inboxId);
  await d1
    .prepare("INSERT INTO chats (inbox_id, wa_id, contact, message_count) VALUES (?, ?, ?, ?)")
    .bind(inboxId, CHAT, JSON.stringify({ wa_id: CHAT, profile: { name: "Zed" } }), n)
    .run();
  const key = inboxKey(inboxId);
  for (let from = 0; from < n; from += 500) {
    const rows = Array.from({ length: Math.min(500, n - from) }, (_, k) => from + k);
    await d1.batch(
      rows.flatMap((i) => [
        d1
          .prepare(
            "INSERT INTO messages (inbox_id, wamid, wa_id, from_us, timestamp, seq, type, payload) VALUES (?, ?, ?, 0, ?, ?, 'text', ?)",
          )
          .bind(
            inboxId,
            `wamid.scale.${i}`,
            CHAT,
            at(i),
            i + 1,
            JSON.stringify({ id: `wamid.scale.${i}`, type: "text", text: { body: `parcel ${i}` } }),
          ),
        d1.prepare("INSERT INTO messages_fts (rowid, body) SELECT last_insert_rowid(), ?").bind(`${key}parcel ${key}${i}`),
      ]),
    );
  }
}

const ids = (body: any) => body.results.map((m: any) => m.id);
const newestFirst = (n: number, at: (i: number) => number) =>
  Array.from({ length: n }, (_, i) => i)
    .sort((a, b) => at(b) - at(a) || b - a)
    .map((i) => `wamid.scale.${i}`);

describe("search of many hits", () => {
  it("walks the newest-first index for a term with many hits, in exact order also when ids and times disagree", async () => {
    const ws = await createWorkspace();
    const admin = await createUser(ws, "admin");
    // Under the count's cap, so every count is exact; times run backwards every 7th message: ids and timestamps do not sort alike.
    const n = SEARCH_COUNT_CAP - 100;
    const at = (i: number) => T0 + (i % 7 === 0 ? 3 * n - i : i);
    await fill(ws.inboxId, n, at);
    const want = newestFirst(n, at);
    const first = await callJson(`${ws.prefix}/messages/?search=parc&limit=20`, { token: admin.token });
    expect(first.status).toBe(200);
    expect(first.body.count).toBe(n);
    expect(ids(first.body)).toEqual(want.slice(0, 20));
    const deep = await callJson(`${ws.prefix}/messages/?search=parc&limit=50&offset=${n - 200}`, { token: admin.token });
    expect(ids(deep.body)).toEqual(want.slice(n - 200, n - 150));
    // The last page (partial) and past the end.
    const last = await callJson(`${ws.prefix}/messages/?search=parc&limit=20&offset=${n - 10}`, { token: admin.token });
    expect(ids(last.body)).toEqual(want.slice(n - 10));
    expect(last.body.next).toBeNull();
    const past = await callJson(`${ws.prefix}/messages/?search=parc&limit=20&offset=${n}`, { token: admin.token });
    expect(past.body).toMatchObject({ count: n, results: [] });
    // One hit among them: the sorted few.
    const one = await callJson(`${ws.prefix}/messages/?search=parcel%20234`, { token: admin.token });
    expect(one.body).toMatchObject({ count: 1 });
    expect(ids(one.body)).toEqual(["wamid.scale.234"]);
    // A restricted scope (one chat) keeps the exact count.
    const chat = await callJson(`${ws.prefix}/messages/${CHAT}/?search=parc&limit=5`, { token: admin.token });
    expect(chat.body.count).toBe(n);
    expect(ids(chat.body)).toEqual(want.slice(0, 5));
  });

  it(`caps the count at ${SEARCH_COUNT_CAP} hits, pages on past it, and still finds an old id with the newest time`, async () => {
    const ws = await createWorkspace();
    const admin = await createUser(ws, "admin");
    const n = SEARCH_COUNT_CAP + 60;
    // Message 0 has the lowest id of all and the newest time: below the cap's newest ids, yet first.
    const at = (i: number) => (i === 0 ? T0 + 10 * n : T0 + i);
    await fill(ws.inboxId, n, at);
    const want = newestFirst(n, at);
    const first = await callJson(`${ws.prefix}/messages/?search=parcel&limit=20`, { token: admin.token });
    expect(first.body.count).toBe(SEARCH_COUNT_CAP);
    expect(ids(first.body)).toEqual(want.slice(0, 20));
    expect(first.body.next).toContain("offset=20");
    // Paging past the cap counts as far as the page needs, so `next` leads on to the end.
    const beyond = await callJson(`${ws.prefix}/messages/?search=parcel&limit=20&offset=${SEARCH_COUNT_CAP}`, { token: admin.token });
    expect(beyond.body.count).toBe(SEARCH_COUNT_CAP + 21);
    expect(ids(beyond.body)).toEqual(want.slice(SEARCH_COUNT_CAP, SEARCH_COUNT_CAP + 20));
    expect(beyond.body.next).toContain(`offset=${SEARCH_COUNT_CAP + 20}`);
    const end = await callJson(`${ws.prefix}/messages/?search=parcel&limit=20&offset=${SEARCH_COUNT_CAP + 40}`, { token: admin.token });
    expect(end.body.count).toBe(n);
    expect(ids(end.body)).toEqual(want.slice(SEARCH_COUNT_CAP + 40));
    expect(end.body.next).toBeNull();
  });
});
