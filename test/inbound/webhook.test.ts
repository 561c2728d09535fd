import { describe, expect, it } from "vitest";
import { call, callJson } from "../helpers/api";
import { createWorkspace, inboxShard } from "../helpers/factories";
import { APP_SECRET, cloudEnvelope, contact, postWebhook, textMessage, VERIFY_TOKEN } from "../helpers/whatsapp";

const sandbox = () => createWorkspace({ config: { app_secret: APP_SECRET, verify_token: VERIFY_TOKEN } });

async function messageRows(inboxId: string) {
  return (
    await (
      await inboxShard(inboxId)
    )
      .prepare("SELECT wamid, wa_id, seq, type, statuses FROM messages WHERE inbox_id = ? ORDER BY seq")
      .bind(inboxId)
      .all()
  ).results;
}

describe("GET /webhooks/whatsapp/{inboxId}", () => {
  it("echoes hub.challenge for the right verify token, 403 otherwise", async () => {
    const ws = await sandbox();
    const ok = await call(`/webhooks/whatsapp/${ws.inboxId}?hub.mode=subscribe&hub.verify_token=${VERIFY_TOKEN}&hub.challenge=1158201444`);
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe("1158201444");
    expect((await call(`/webhooks/whatsapp/${ws.inboxId}?hub.mode=subscribe&hub.verify_token=nope&hub.challenge=1`)).status).toBe(403);
    expect(
      (await call(`/webhooks/whatsapp/${ws.inboxId}?hub.mode=unsubscribe&hub.verify_token=${VERIFY_TOKEN}&hub.challenge=1`)).status,
    ).toBe(403);
  });
});

describe("POST /webhooks/whatsapp/{inboxId}", () => {
  it("rejects a bad or missing signature and stores nothing", async () => {
    const ws = await sandbox();
    const payload = cloudEnvelope({ messages: [textMessage("4915100000001", "hi")] });
    expect((await postWebhook(ws.inboxId, payload, "wrong-secret")).status).toBe(401);
    const unsigned = await callJson(`/webhooks/whatsapp/${ws.inboxId}`, { body: payload });
    expect(unsigned).toMatchObject({ status: 401, body: { detail: "Invalid or missing X-Hub-Signature-256." } });
    expect(await messageRows(ws.inboxId)).toEqual([]);
  });

  it("stores every message of a batch once, in order, even when redelivered inside and across payloads", async () => {
    const ws = await sandbox();
    const a = textMessage("4915100000001", "first", 1700000000);
    const b = textMessage("4915100000001", "second", 1700000000);
    const c = textMessage("4915100000002", "third", 1700000001);
    const payload = {
      object: "whatsapp_business_account",
      entry: [
        { id: "1", changes: [{ field: "messages", value: { contacts: [contact("4915100000001", "Ann")], messages: [a, b, a] } }] },
        { id: "2", changes: [{ field: "messages", value: { contacts: [contact("4915100000002", "Bob")], messages: [c] } }] },
      ],
    };
    const first = await postWebhook(ws.inboxId, payload);
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({ stored: 3, duplicates: 1, invalid: 0 });
    const again = await postWebhook(ws.inboxId, payload);
    expect(await again.json()).toEqual({ stored: 0, duplicates: 4, invalid: 0 });
    const rows = await messageRows(ws.inboxId);
    expect(rows.map((r: any) => r.wamid)).toEqual([a.id, b.id, c.id]);
    expect(rows.map((r: any) => r.seq)).toEqual([1, 2, 3]);
  });

  it("answers concurrent webhook calls once each of their messages is durable (group commit)", async () => {
    const ws = await sandbox();
    const payloads = Array.from({ length: 20 }, (_, i) =>
      cloudEnvelope({ messages: [textMessage(`49151000001${String(i).padStart(2, "0")}`, `m${i}`)] }),
    );
    const results = await Promise.all(payloads.map((p) => postWebhook(ws.inboxId, p)));
    expect(results.map((r) => r.status)).toEqual(Array(20).fill(200));
    const rows = await messageRows(ws.inboxId);
    expect(rows).toHaveLength(20);
    expect(new Set(rows.map((r: any) => r.seq)).size).toBe(20);
  });

  it("keeps statuses monotonic and applies a status that arrives before its message", async () => {
    const ws = await sandbox();
    const m = textMessage("4915100000009", "status me");
    const early = { id: m.id, status: "read", timestamp: "1700000300", recipient_id: "4915100000009" };
    expect((await postWebhook(ws.inboxId, cloudEnvelope({ statuses: [early] }))).status).toBe(200);
    await postWebhook(ws.inboxId, cloudEnvelope({ messages: [m] }));
    await postWebhook(
      ws.inboxId,
      cloudEnvelope({
        statuses: [
          { id: m.id, status: "delivered", timestamp: "1700000200" },
          { id: m.id, status: "read", timestamp: "1700000999" },
          { id: m.id, status: "failed", timestamp: "1700001000", errors: [{ code: 131047, title: "Re-engagement message" }] },
          { id: m.id, status: "deleted", timestamp: "1700001001" },
        ],
      }),
    );
    const [row] = (await messageRows(ws.inboxId)) as any[];
    expect(JSON.parse(row.statuses)).toEqual({
      read: 1700000300,
      delivered: 1700000200,
      failed: { timestamp: 1700001000, errors: [{ code: 131047, title: "Re-engagement message" }] },
      deleted: 1700001001,
    });
  });

  it("never fails a payload for one malformed item or a non-message field", async () => {
    const ws = await sandbox();
    const good = textMessage("4915100000010", "ok");
    const payload = {
      object: "whatsapp_business_account",
      entry: [
        {
          id: "1",
          changes: [
            { field: "message_template_status_update", value: { event: "APPROVED", message_template_id: 1 } },
            {
              field: "messages",
              value: {
                messages: [
                  { type: "text" },
                  good,
                  { from: "4915100000010", id: "wamid.u", timestamp: "1700000000", type: "unsupported", errors: [{ code: 131051 }] },
                ],
              },
            },
          ],
        },
      ],
    };
    const res = await postWebhook(ws.inboxId, payload);
    expect(await res.json()).toEqual({ stored: 2, duplicates: 0, invalid: 1 });
    expect((await messageRows(ws.inboxId)).map((r: any) => r.type)).toEqual(["text", "unsupported"]);
    const events = await ws.shard
      .prepare("SELECT kind, name, payload FROM provider_events WHERE inbox_id = ? ORDER BY id")
      .bind(ws.inboxId)
      .all<any>();
    expect(events.results.map((e) => [e.kind, e.name])).toEqual([
      ["field", "message_template_status_update"],
      ["invalid", expect.stringMatching(/^message: id/)],
    ]);
    expect(JSON.parse(events.results[0].payload)).toEqual({ event: "APPROVED", message_template_id: 1 });
  });

  it("answers unknown inboxes with 404 and malformed JSON with 400", async () => {
    expect((await postWebhook(crypto.randomUUID(), {})).status).toBe(404);
    const ws = await sandbox();
    const body = "{oops";
    const { sign } = await import("../helpers/whatsapp");
    const res = await call(`/webhooks/whatsapp/${ws.inboxId}`, {
      method: "POST",
      raw: body,
      headers: { "x-hub-signature-256": await sign(body) },
    });
    expect(res.status).toBe(400);
  });
});

describe("webhook edge cases", () => {
  it("stores the valid messages when other items are null, and keeps the nulls", async () => {
    const ws = await sandbox();
    const good = textMessage("4915100000020", "survivor");
    const res = await postWebhook(ws.inboxId, {
      object: "whatsapp_business_account",
      entry: [
        { id: "1", changes: [{ field: "account_update" }, { field: "messages", value: { messages: [good, null], errors: [null] } }] },
      ],
    });
    expect(res.status).toBe(200);
    expect((await messageRows(ws.inboxId)).map((r: any) => r.wamid)).toEqual([good.id]);
    const events = await ws.shard
      .prepare("SELECT kind, payload FROM provider_events WHERE inbox_id = ? ORDER BY id")
      .bind(ws.inboxId)
      .all<any>();
    // The change without a value is unreadable (kept as invalid); the null message too; the null error as an error.
    expect(events.results.map((e) => e.kind).sort()).toEqual(["error", "invalid", "invalid"]);
  });

  it("ignores changes for another phone number of the same Meta app", async () => {
    const ws = await createWorkspace({
      provider: "cloud",
      config: {
        phone_number_id: "PN-MINE",
        access_token: "t",
        app_secret: APP_SECRET,
        verify_token: VERIFY_TOKEN,
        api_base_url: "https://graph.stub.test",
      },
    });
    const mine = textMessage("4915100000021", "for me");
    const theirs = textMessage("4915100000022", "not for me");
    const change = (pn: string, m: unknown) => ({ field: "messages", value: { metadata: { phone_number_id: pn }, messages: [m] } });
    const res = await postWebhook(ws.inboxId, {
      object: "whatsapp_business_account",
      entry: [{ id: "1", changes: [change("PN-MINE", mine), change("PN-OTHER", theirs)] }],
    });
    expect(await res.json()).toEqual({ stored: 1, duplicates: 0, invalid: 1 });
    expect((await messageRows(ws.inboxId)).map((r: any) => r.wamid)).toEqual([mine.id]);
  });

  it("accepts webhooks above the API's 1 MiB body cap (Meta sends up to 3 MB)", async () => {
    const ws = await sandbox();
    const big = Array.from({ length: 400 }, (_, i) => textMessage("4915100000023", `${"x".repeat(3000)} ${i}`));
    const res = await postWebhook(ws.inboxId, cloudEnvelope({ messages: big }));
    expect(res.status).toBe(200);
    expect(await messageRows(ws.inboxId)).toHaveLength(400);
  });
});
