import { describe, expect, it } from "vitest";
import { parseWebhook } from "../../src/inbound/envelope";
import { change, MESSAGES, status } from "./fixtures";

const contact = (waId: string, name: string) => ({ profile: { name }, wa_id: waId });
const text = (id: string, body: string, from = "4915112345678") => ({ from, id, timestamp: "1700000000", type: "text", text: { body } });

describe("parseWebhook: Cloud API envelope", () => {
  it("parses every entry, change, message and status in order", () => {
    const body = {
      object: "whatsapp_business_account",
      entry: [
        {
          id: "waba-1",
          changes: [
            change({ contacts: [contact("111", "Ann")], messages: [text("m1", "a", "111"), text("m2", "b", "111")] }, "pn-1"),
            change({ statuses: [status("s1", "sent"), status("s2", "delivered")] }, "pn-1"),
          ],
        },
        {
          id: "waba-2",
          changes: [
            change({ contacts: [contact("222", "Bob")], messages: [text("m3", "c", "222")], statuses: [status("s3", "read")] }, "pn-2"),
            change({ contacts: [contact("333", "Cy")], messages: [text("m4", "d", "333"), text("m5", "e", "333")] }, "pn-2"),
          ],
        },
      ],
    };
    const batch = parseWebhook(body);
    expect(batch.messages.map((m) => [m.id, m.from])).toEqual([
      ["m1", "111"],
      ["m2", "111"],
      ["m3", "222"],
      ["m4", "333"],
      ["m5", "333"],
    ]);
    expect(batch.statuses.map((s) => [s.id, s.status])).toEqual([
      ["s1", "sent"],
      ["s2", "delivered"],
      ["s3", "read"],
    ]);
    expect(batch.contacts.map((c) => [c.waId, c.profileName])).toEqual([
      ["111", "Ann"],
      ["222", "Bob"],
      ["333", "Cy"],
    ]);
    expect(batch.phoneNumberId).toBe("pn-1");
    expect(batch.invalid).toEqual([]);
    expect(batch.other).toEqual([]);
  });

  it("maps a message and its contact field by field", () => {
    const batch = parseWebhook({
      object: "whatsapp_business_account",
      entry: [{ id: "w", changes: [change({ messages: [MESSAGES.buttonReply] })] }],
    });
    expect(batch.messages).toEqual([
      {
        id: MESSAGES.buttonReply.id,
        from: "4915112345678",
        fromUserId: null,
        timestamp: Number(MESSAGES.buttonReply.timestamp),
        type: "interactive",
        payload: MESSAGES.buttonReply,
        contextId: "wamid.original-1",
      },
    ]);
    // waba_payload is the object exactly as received, unknown fields included.
    expect(batch.messages[0]!.payload).toBe(MESSAGES.buttonReply);
  });

  it("keeps changes of other fields in `other`, never as errors", () => {
    const template = { event: "APPROVED", message_template_id: 123, message_template_name: "welcome" };
    const account = { phone_number: "15550783881", event: "VERIFIED_ACCOUNT" };
    const batch = parseWebhook({
      object: "whatsapp_business_account",
      entry: [
        { id: "w", changes: [{ field: "message_template_status_update", value: template }, change({ messages: [text("m1", "hi")] })] },
        { id: "w", changes: [{ field: "account_update", value: account }] },
      ],
    });
    expect(batch.other).toEqual([
      { field: "message_template_status_update", value: template },
      { field: "account_update", value: account },
    ]);
    expect(batch.messages.map((m) => m.id)).toEqual(["m1"]);
    expect(batch.invalid).toEqual([]);
  });

  it("reports broken entries and changes and still reads the rest", () => {
    const batch = parseWebhook({
      object: "whatsapp_business_account",
      entry: [{ id: "no-changes" }, { id: "w", changes: [{ value: {} }, change({ messages: [text("m1", "ok")], statuses: "nope" })] }],
    });
    expect(batch.messages.map((m) => m.id)).toEqual(["m1"]);
    expect(batch.invalid.map((i) => i.reason)).toEqual(["entry has no changes array", "change has no field", "statuses is not an array"]);
  });

  it("tolerates unknown fields at every level", () => {
    const batch = parseWebhook({
      object: "whatsapp_business_account",
      brand_new: true,
      entry: [{ id: "w", time: 1, changes: [{ ...change({ messages: [{ ...text("m1", "x"), new_thing: { a: 1 } }] }), extra: 1 }] }],
    });
    expect(batch.messages.map((m) => m.payload.new_thing)).toEqual([{ a: 1 }]);
    expect(batch.invalid).toEqual([]);
  });
});

describe("parseWebhook: on-premises format", () => {
  it("reads contacts, messages, statuses and errors at top level", () => {
    const error = { code: 1014, title: "Internal error" };
    const batch = parseWebhook({
      contacts: [contact("4915112345678", "Ann")],
      messages: [MESSAGES.voice, MESSAGES.text],
      statuses: [status("s1", "failed", { errors: [{ code: 470, title: "Message failed to send" }] })],
      errors: [error],
    });
    expect(batch.contacts).toEqual([{ waId: "4915112345678", userId: null, profileName: "Ann", raw: contact("4915112345678", "Ann") }]);
    expect(batch.messages.map((m) => [m.id, m.type])).toEqual([
      [MESSAGES.voice.id, "voice"],
      [MESSAGES.text.id, "text"],
    ]);
    expect(batch.statuses).toEqual([
      {
        id: "s1",
        status: "failed",
        timestamp: 1700000100,
        recipientId: "4915112345678",
        errors: [{ code: 470, title: "Message failed to send" }],
        payload: status("s1", "failed", { errors: [{ code: 470, title: "Message failed to send" }] }),
      },
    ]);
    expect(batch.errors).toEqual([error]);
    expect(batch.phoneNumberId).toBeNull();
  });
});

describe("parseWebhook: messages", () => {
  it("keeps every message type as received", () => {
    const all = Object.values(MESSAGES);
    const batch = parseWebhook({ messages: all });
    expect(batch.invalid).toEqual([]);
    expect(batch.messages.map((m) => m.type)).toEqual([
      ...["text", "image", "audio", "voice", "video", "document", "sticker", "location", "contacts"],
      ...["interactive", "interactive", "interactive", "button", "reaction", "reaction", "order", "text", "system"],
      ...["unsupported", "unknown"],
    ]);
    expect(batch.messages.map((m) => m.payload)).toEqual(all);
    expect(batch.messages.find((m) => m.id === MESSAGES.unreaction.id)?.payload.reaction).toEqual({ message_id: "wamid.out-1", emoji: "" });
    expect(batch.messages.find((m) => m.id === MESSAGES.unsupported.id)?.payload.errors).toEqual(MESSAGES.unsupported.errors);
    expect(batch.messages.find((m) => m.id === MESSAGES.button.id)?.contextId).toBe("wamid.template-1");
  });

  it("normalises second and millisecond timestamps, as strings or numbers", () => {
    const at = (id: string, timestamp: unknown) => ({ ...text(id, "t"), timestamp });
    const batch = parseWebhook({
      messages: [at("a", "1700000000"), at("b", 1700000000), at("c", "1700000000123"), at("d", 1700000000999), at("e", 1700000000.7)],
    });
    expect(batch.messages.map((m) => m.timestamp)).toEqual([1700000000, 1700000000, 1700000000, 1700000000, 1700000000]);
  });

  it("keeps senders known only by their business-scoped user id", () => {
    const batch = parseWebhook({
      contacts: [{ profile: { name: "Dee" }, user_id: "US.13491208655302741918", username: "@dee" }],
      messages: [{ from_user_id: "US.13491208655302741918", id: "m1", timestamp: "1700000000", type: "text", text: { body: "hi" } }],
    });
    expect(batch.contacts.map(({ waId, userId, profileName }) => ({ waId, userId, profileName }))).toEqual([
      { waId: null, userId: "US.13491208655302741918", profileName: "Dee" },
    ]);
    expect(batch.messages.map(({ from, fromUserId }) => ({ from, fromUserId }))).toEqual([
      { from: null, fromUserId: "US.13491208655302741918" },
    ]);
  });

  it("puts one malformed message in `invalid` and keeps the valid ones in order", () => {
    const noId = { from: "1", timestamp: "1700000000", type: "text", text: { body: "x" } };
    const badTime = { ...text("bad-time", "x"), timestamp: "yesterday" };
    const noSender = { id: "no-sender", timestamp: "1700000000", type: "text" };
    const batch = parseWebhook({ messages: [text("m1", "a"), noId, "junk", text("m2", "b"), badTime, noSender, text("m3", "c")] });
    expect(batch.messages.map((m) => m.id)).toEqual(["m1", "m2", "m3"]);
    expect(batch.invalid).toEqual([
      { reason: "message: id: Invalid input: expected string, received undefined", item: noId },
      { reason: "message is not an object", item: "junk" },
      { reason: "message: timestamp: expected a numeric timestamp", item: badTime },
      { reason: "message has neither from nor from_user_id", item: noSender },
    ]);
  });
});

describe("parseWebhook: statuses", () => {
  it("keeps every status value, lower-cased, with its errors", () => {
    const values = ["sent", "delivered", "READ", "failed", "played", "deleted", "warning"];
    const batch = parseWebhook({ statuses: values.map((value, i) => status(`s${i}`, value)) });
    expect(batch.statuses.map((s) => s.status)).toEqual(["sent", "delivered", "read", "failed", "played", "deleted", "warning"]);
    expect(batch.statuses.every((s) => s.errors.length === 0)).toBe(true);
  });

  it("reports a status of unknown shape without losing the others", () => {
    const odd = { id: "s2", state: "sent" };
    const batch = parseWebhook({ statuses: [status("s1", "sent"), odd, status("s3", "read", { timestamp: 1700000100123 })] });
    expect(batch.statuses.map((s) => [s.id, s.timestamp])).toEqual([
      ["s1", 1700000100],
      ["s3", 1700000100],
    ]);
    expect(batch.invalid.map((i) => i.item)).toEqual([odd]);
    expect(batch.invalid[0]!.reason).toMatch(/^status: status: /);
  });
});

describe("parseWebhook: bodies of neither shape", () => {
  it.each([
    ["a string", "hello", "body is not a JSON object"],
    ["an array", [{ messages: [] }], "body is not a JSON object"],
    ["null", null, "body is not a JSON object"],
    ["a number", 42, "body is not a JSON object"],
    ["an empty object", {}, "body is neither a Cloud API envelope nor an on-premises payload"],
    ["an unrelated object", { hello: "world" }, "body is neither a Cloud API envelope nor an on-premises payload"],
    ["a non-array entry", { object: "whatsapp_business_account", entry: "x" }, "entry is not an array"],
  ])("returns an empty batch with one invalid entry for %s", (_name, body, reason) => {
    expect(parseWebhook(body)).toEqual({
      contacts: [],
      messages: [],
      statuses: [],
      errors: [],
      other: [],
      invalid: [{ reason, item: body }],
      phoneNumberId: null,
    });
  });
});
