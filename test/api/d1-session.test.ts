import { describe, expect, it } from "vitest";
import { callJson } from "../helpers/api";
import { createUser, createWorkspace } from "../helpers/factories";
import { APP_SECRET, cloudEnvelope, contact, postWebhook, textMessage, VERIFY_TOKEN } from "../helpers/whatsapp";

const BOOKMARK = /^[0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{32}$/;

async function setup() {
  const ws = await createWorkspace({ config: { app_secret: APP_SECRET, verify_token: VERIFY_TOKEN } });
  const admin = await createUser(ws, "admin");
  const ann = "4915100000201";
  await postWebhook(ws.inboxId, cloudEnvelope({ contacts: [contact(ann, "Ann")], messages: [textMessage(ann, "Hello")] }));
  /** A client that sends back the newest bookmark it was given, as the typed client and the web inbox do. */
  let bookmark: string | null = null;
  const client = async (path: string, options: Parameters<typeof callJson>[1] = {}) => {
    const res = await callJson(`${ws.prefix}${path}`, {
      token: admin.token,
      ...options,
      headers: { ...(bookmark ? { "x-d1-bookmark": bookmark } : {}), ...options.headers },
    });
    const answered = res.headers.get("x-d1-bookmark");
    if (answered && (!bookmark || answered > bookmark)) bookmark = answered;
    return { ...res, bookmark: answered };
  };
  return { ws, admin, ann, client };
}

describe("D1 sessions and bookmarks", () => {
  it("answers a bookmark on reads and writes, newer after each write, and a client sending it back reads its own writes", async () => {
    const { ann, client } = await setup();
    const read = await client("/tags/");
    expect(read.status).toBe(200);
    expect(read.bookmark).toMatch(BOOKMARK);

    const tag = await client("/tags/", { body: { name: "Urgent" } });
    expect(tag.status).toBe(201);
    expect(tag.bookmark).toMatch(BOOKMARK);
    expect((tag.bookmark as string) > (read.bookmark as string)).toBe(true);
    const listed = await client("/tags/");
    expect(listed.body.results.map((t: { name: string }) => t.name)).toContain("Urgent");
    expect((listed.bookmark as string) >= (tag.bookmark as string)).toBe(true);

    // A chat tagging is written to D1 by the inbox object, outside the request's session:
    // the bookmark still covers it.
    const before = await client(`/chats/${ann}/`);
    const tagging = await client("/chat_tagging/", { body: { tag: tag.body.id, chat: ann } });
    expect(tagging.status).toBe(201);
    expect((tagging.bookmark as string) > (before.bookmark as string)).toBe(true);
    const chat = await client(`/chats/${ann}/`);
    expect(chat.body.tags.map((t: { id: number }) => t.id)).toEqual([tag.body.id]);
  });

  it("refuses a bookmark it did not give, before anything is read or written", async () => {
    const { client } = await setup();
    for (const bad of ["nope", "00000001-00000002-00000003", `${"0".repeat(8)}-${"0".repeat(8)}-${"0".repeat(8)}-${"g".repeat(32)}`]) {
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
