import { describe, expect, it } from "vitest";
import { callJson } from "../helpers/api";
import { createUser, createWorkspace } from "../helpers/factories";
import { APP_SECRET, cloudEnvelope, postWebhook, VERIFY_TOKEN } from "../helpers/whatsapp";
import { MESSAGES } from "./fixtures";

const sandbox = () => createWorkspace({ config: { app_secret: APP_SECRET, verify_token: VERIFY_TOKEN } });

describe("every message type is stored as received", () => {
  it("keeps all fixture types, their payloads and context, in one batch", async () => {
    const ws = await sandbox();
    const admin = await createUser(ws, "admin");
    const all = Object.values(MESSAGES);
    const res = await postWebhook(
      ws.inboxId,
      cloudEnvelope({ contacts: [{ profile: { name: "Pat" }, wa_id: "4915112345678" }], messages: all }),
    );
    expect(await res.json()).toEqual({ stored: all.length, duplicates: 0, invalid: 0 });
    const list = await callJson(`${ws.prefix}/messages/?limit=100`, { token: admin.token });
    expect(list.body.count).toBe(all.length);
    const byId = new Map(list.body.results.map((m: any) => [m.id, m]));
    for (const sent of all) {
      const stored: any = byId.get(sent.id as string);
      expect(stored, String(sent.type)).toBeDefined();
      // Media links point at our API; everything else is exactly what WhatsApp sent.
      const type = sent.type as string;
      const expected = structuredClone(sent) as any;
      if (expected[type]?.id && ["image", "audio", "voice", "video", "document", "sticker"].includes(type)) {
        expected[type].link = `http://switchboard.test${ws.prefix}/media/${expected[type].id}/`;
      }
      expect(stored.waba_payload).toEqual(expected);
    }
    expect((byId.get(MESSAGES.buttonReply.id as string) as any).context).toEqual({ from: "15550001111", id: "wamid.original-1" });
    const search = await callJson(`${ws.prefix}/messages/?search=invoice`, { token: admin.token });
    expect(search.body.results.map((m: any) => m.id)).toEqual([MESSAGES.document.id]);
  });

  it("accepts the on-premises format, millisecond timestamps and username-only senders", async () => {
    const ws = await sandbox();
    const admin = await createUser(ws, "admin");
    const onprem = {
      contacts: [{ profile: { name: "Old School" }, wa_id: "4917000000001" }],
      messages: [
        {
          from: "4917000000001",
          id: "wamid.onprem.1",
          timestamp: "1700000000000",
          type: "voice",
          voice: { id: "v-1", mime_type: "audio/ogg" },
        },
      ],
    };
    expect((await postWebhook(ws.inboxId, onprem)).status).toBe(200);
    const bsuid = cloudEnvelope({
      contacts: [{ profile: { name: "Handle Only" }, user_id: "US.13491208655302741918" }],
      messages: [
        {
          from_user_id: "US.13491208655302741918",
          id: "wamid.bsuid.1",
          timestamp: "1700000001",
          type: "text",
          text: { body: "no number" },
        },
      ],
    });
    expect((await postWebhook(ws.inboxId, bsuid)).status).toBe(200);
    const rows = await ws.shard
      .prepare("SELECT wamid, wa_id, timestamp FROM messages WHERE inbox_id = ? ORDER BY seq")
      .bind(ws.inboxId)
      .all();
    expect(rows.results).toEqual([
      { wamid: "wamid.onprem.1", wa_id: "4917000000001", timestamp: 1700000000 },
      { wamid: "wamid.bsuid.1", wa_id: "US.13491208655302741918", timestamp: 1700000001 },
    ]);
    const chat = await callJson(`${ws.prefix}/chats/US.13491208655302741918/`, { token: admin.token });
    expect(chat.body.contact).toMatchObject({ initials: "HO", waba_payload: { profile: { name: "Handle Only" } } });
  });

  it("keeps the profile name current", async () => {
    const ws = await sandbox();
    const admin = await createUser(ws, "admin");
    const say = (name: string, id: string, ts: number) =>
      postWebhook(
        ws.inboxId,
        cloudEnvelope({
          contacts: [{ profile: { name }, wa_id: "4917000000002" }],
          messages: [{ from: "4917000000002", id, timestamp: String(ts), type: "text", text: { body: "hi" } }],
        }),
      );
    await say("Old Name", "wamid.n1", 1700000000);
    await say("New Name", "wamid.n2", 1700000010);
    const person = await callJson(`${ws.prefix}/persons/4917000000002/`, { token: admin.token });
    expect(person.body).toMatchObject({
      initials: "NN",
      waba_payload: { profile: { name: "New Name" } },
      last_message_timestamp: 1700000010,
    });
  });
});
