import { describe, expect, it } from "vitest";
import { callJson, platform } from "../helpers/api";
import { createUser, createWorkspace } from "../helpers/factories";
import { APP_SECRET, cloudEnvelope, contact, postWebhook, textMessage, VERIFY_TOKEN } from "../helpers/whatsapp";

const BOOKMARK = /^[0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{32}$/;
/** `DB=<bookmark>;SHARD_1=<bookmark>` as a map. */
const parse = (value: string | null) => new Map(value ? value.split(";").map((pair) => pair.split("=") as [string, string]) : []);

async function setup() {
  const ws = await createWorkspace({ config: { app_secret: APP_SECRET, verify_token: VERIFY_TOKEN } });
  const admin = await createUser(ws, "admin");
  const ann = "4915100000201";
  await postWebhook(ws.inboxId, cloudEnvelope({ contacts: [contact(ann, "Ann")], messages: [textMessage(ann, "Hello")] }));
  const shard = (await platform(`/workspaces/${ws.id}/inboxes`)).body.results[0].shard as string;
  /** A client that sends back the newest bookmark of each database it was given, as the web inbox does. */
  const newest = new Map<string, string>();
  const client = async (path: string, options: Parameters<typeof callJson>[1] = {}) => {
    const sent = [...newest].map(([db, b]) => `${db}=${b}`).join(";");
    const res = await callJson(`${ws.prefix}${path}`, {
      token: admin.token,
      ...options,
      headers: { ...(sent ? { "x-d1-bookmark": sent } : {}), ...options.headers },
    });
    const answered = res.headers.get("x-d1-bookmark");
    for (const [db, b] of parse(answered)) if (!newest.has(db) || b > (newest.get(db) as string)) newest.set(db, b);
    return { ...res, bookmarks: parse(answered) };
  };
  return { ws, admin, ann, shard, client };
}

describe("D1 sessions and bookmarks", () => {
  it("answers a bookmark per database on reads and writes, newer after each write, and a client sending them back reads its own writes", async () => {
    const { ann, shard, client } = await setup();
    expect(shard).toMatch(/^SHARD_\d$/);
    const read = await client(`/chats/${ann}/`);
    expect(read.status).toBe(200);
    // The chat came from the inbox's shard, the credential from the directory.
    expect([...read.bookmarks.keys()].sort()).toEqual(["DB", shard]);
    for (const b of read.bookmarks.values()) expect(b).toMatch(BOOKMARK);

    const tag = await client("/tags/", { body: { name: "Urgent" } });
    expect(tag.status).toBe(201);
    expect((tag.bookmarks.get("DB") as string) > (read.bookmarks.get("DB") as string)).toBe(true);
    const listed = await client("/tags/");
    expect(listed.body.results.map((t: { name: string }) => t.name)).toContain("Urgent");
    expect((listed.bookmarks.get("DB") as string) >= (tag.bookmarks.get("DB") as string)).toBe(true);

    // A chat tagging is written to the shard by the inbox object, outside the request's session:
    // the write's bookmark for the shard still covers it.
    const tagging = await client("/chat_tagging/", { body: { tag: tag.body.id, chat: ann } });
    expect(tagging.status).toBe(201);
    expect((tagging.bookmarks.get(shard) as string) > (read.bookmarks.get(shard) as string)).toBe(true);
    const chat = await client(`/chats/${ann}/`);
    expect(chat.body.tags.map((t: { id: number }) => t.id)).toEqual([tag.body.id]);
    expect((chat.bookmarks.get(shard) as string) >= (tagging.bookmarks.get(shard) as string)).toBe(true);
  });

  it("takes a bare bookmark (from before shards) as the directory's, and forgets databases it does not have", async () => {
    const { ws, admin, client } = await setup();
    const { bookmarks } = await client("/tags/");
    const bare = bookmarks.get("DB") as string;
    const res = await callJson(`${ws.prefix}/tags/`, { token: admin.token, headers: { "x-d1-bookmark": bare } });
    expect(res.status).toBe(200);
    expect(parse(res.headers.get("x-d1-bookmark")).get("DB")! >= bare).toBe(true);
    const gone = await callJson(`${ws.prefix}/tags/`, { token: admin.token, headers: { "x-d1-bookmark": `DB=${bare};SHARD_9=${bare}` } });
    expect(gone.status).toBe(200);
    expect(parse(gone.headers.get("x-d1-bookmark")).has("SHARD_9")).toBe(false);
  });

  it("refuses a bookmark it did not give, before anything is read or written", async () => {
    const { client } = await setup();
    const good = `${"0".repeat(8)}-${"0".repeat(8)}-${"0".repeat(8)}-${"0".repeat(32)}`;
    for (const bad of [
      "nope",
      "00000001-00000002-00000003",
      `${"0".repeat(8)}-${"0".repeat(8)}-${"0".repeat(8)}-${"g".repeat(32)}`,
      `DB=${good};SHARD_1=nope`,
      `db=${good}`,
      `DB=${good};`,
    ]) {
      const res = await client("/tags/", { body: { name: `Tag ${bad.length}` }, headers: { "x-d1-bookmark": bad } });
      expect(res.status).toBe(400);
      expect(JSON.stringify(res.body)).toContain("x-d1-bookmark must be the value of an earlier response's x-d1-bookmark header.");
    }
    expect((await client("/tags/")).body.results).toEqual([]);
  });

  it("gives provider webhooks no session and no bookmark", async () => {
    const ws = await createWorkspace({ config: { app_secret: APP_SECRET, verify_token: VERIFY_TOKEN } });
    const res = await postWebhook(
      ws.inboxId,
      cloudEnvelope({ contacts: [contact("4915100000202", "Bo")], messages: [textMessage("4915100000202", "Hi")] }),
    );
    expect(res.status).toBe(200);
    expect(res.headers.get("x-d1-bookmark")).toBeNull();
  });
});
