import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createDb } from "../../src/db/client";
import { fieldsPage, retypeStatement } from "../../src/db/queries/contact-fields";
import { call, callJson } from "../helpers/api";
import { createUser, createWorkspace } from "../helpers/factories";
import { queryPlan } from "../helpers/plans";
import { allPages, fieldId, insertContacts, insertFields, insertValues, storedValues, v2World } from "./support";

const PATH = "/api/v2/fields.json";
const field = (key: string, label: string, valueType = "text", extra: Record<string, unknown> = {}) => ({
  key,
  label,
  name: label,
  value_type: valueType,
  type: valueType === "numeric" ? "number" : valueType,
  pinned: false,
  identifier: false,
  options: null,
  ...extra,
});

type V2 = Awaited<ReturnType<typeof v2World>>["v2"];
const refused = async (v2: V2, path: string, body: unknown, expected: unknown) => {
  const res = await v2(path, { body });
  expect(res.body, JSON.stringify(body)).toEqual(expected);
  expect(res.status, JSON.stringify(body)).toBe(400);
};

describe("RapidPro v2 fields.json", () => {
  it("replays the seeds' create and lists the field", async () => {
    const { v2 } = await v2World();
    const created = await v2(PATH, { body: { label: "Nick name", value_type: "text" } });
    expect(created.status).toBe(201);
    expect(created.body).toEqual(field("nick_name", "Nick name"));
    expect((await v2(PATH)).body).toEqual({ next: null, previous: null, results: [field("nick_name", "Nick name")] });
  });

  it("takes today's clients' name and type, and every type", async () => {
    const { v2 } = await v2World();
    expect(await v2(PATH, { body: { name: "Age", type: "number" } })).toMatchObject({ status: 201, body: field("age", "Age", "numeric") });
    expect(await v2(PATH, { body: { label: "Score", value_type: "numeric" } })).toMatchObject({
      status: 201,
      body: field("score", "Score", "numeric"),
    });
    for (const type of ["datetime", "date", "boolean", "state", "district", "ward"]) {
      expect(await v2(PATH, { body: { name: `My ${type}`, type } })).toMatchObject({
        status: 201,
        body: field(`my_${type}`, `My ${type}`, type),
      });
    }
    expect(await v2(PATH, { body: { label: "Tier", value_type: "options", options: ["Gold", "Silver"] } })).toMatchObject({
      status: 201,
      body: field("tier", "Tier", "options", { options: ["Gold", "Silver"] }),
    });
    // Both vocabularies at once: today's keys win.
    expect(await v2(PATH, { body: { label: "Ignored", name: "Both", value_type: "numeric", type: "text" } })).toMatchObject({
      status: 201,
      body: field("both", "Both", "text"),
    });
    await refused(
      v2,
      PATH,
      { label: "Fine", name: "Bad!", value_type: "text", type: "text" },
      { name: ["Can only contain letters, numbers and hypens."] },
    );
    expect(await v2(PATH, { body: { label: " CPF ", value_type: "text", identifier: true } })).toMatchObject({
      status: 201,
      body: field("cpf", "CPF", "text", { identifier: true }),
    });
  });

  it("generates keys from labels, refusing reserved and colliding ones", async () => {
    const { v2 } = await v2World();
    expect((await v2(PATH, { body: { label: "  --Favourite   colour-- 2 ", value_type: "text" } })).body.key).toBe("favourite_colour_2");
    const label = (messages: string[]) => ({ label: messages });
    for (const reserved of [
      "Name",
      "First name",
      "UUID",
      "Groups",
      "Created on",
      "Is",
      "Has",
      "Tel",
      "WhatsApp",
      "Mailto",
      "Ext",
      "Webchat",
      "Discord",
    ]) {
      const key = reserved.toLowerCase().replace(" ", "_");
      await refused(v2, PATH, { label: reserved, value_type: "text" }, label([`Generated key "${key}" is invalid or a reserved name.`]));
    }
    await refused(v2, PATH, { label: "2 Fast", value_type: "text" }, label(['Generated key "2_fast" is invalid or a reserved name.']));
    await refused(v2, PATH, { label: "---", value_type: "text" }, label(['Generated key "" is invalid or a reserved name.']));
    // A number is read as its text.
    await refused(v2, PATH, { label: 42, value_type: "text" }, label(['Generated key "42" is invalid or a reserved name.']));
    // Weni's addition: a key another field has is refused instead of renaming that field.
    expect((await v2(PATH, { body: { label: "Nick name", value_type: "text" } })).status).toBe(201);
    await refused(
      v2,
      PATH,
      { label: "Nick-name", value_type: "text" },
      label(['Generated key "nick_name" conflicts with an existing contact field.']),
    );
    await refused(
      v2,
      PATH,
      { name: "Nick  name", type: "text" },
      { name: ['Generated key "nick_name" conflicts with an existing contact field.'] },
    );
  });

  it("checks labels in RapidPro's order: length and uniqueness, then characters, then the key", async () => {
    const { v2 } = await v2World();
    await v2(PATH, { body: { label: "Nick name", value_type: "text" } });
    const label = (messages: string[]) => ({ label: messages });
    await refused(v2, PATH, { label: "x".repeat(37), value_type: "text" }, label(["Ensure this field has no more than 36 characters."]));
    await refused(
      v2,
      PATH,
      { label: `${"x".repeat(36)}!`, value_type: "text" },
      label(["Ensure this field has no more than 36 characters."]),
    );
    await refused(v2, PATH, { label: "NICK NAME", value_type: "text" }, label(["This field must be unique."]));
    await refused(v2, PATH, { label: "Nick_name", value_type: "text" }, label(["Can only contain letters, numbers and hypens."]));
    await refused(v2, PATH, { label: "Ñandú", value_type: "text" }, label(["Can only contain letters, numbers and hypens."]));
    await refused(v2, PATH, { label: "   ", value_type: "text" }, label(["This field may not be blank."]));
    await refused(v2, PATH, { label: null, value_type: "text" }, label(["This field may not be null."]));
    await refused(v2, PATH, { label: { x: 1 }, value_type: "text" }, label(["Not a valid string."]));
    await refused(v2, PATH, { label: "Nick\u0000", value_type: "text" }, label(["Null characters are not allowed."]));
    // 36 characters is fine.
    expect((await v2(PATH, { body: { label: "x".repeat(36), value_type: "text" } })).status).toBe(201);
  });

  it("checks types, options and the identifier flag, every problem at once, keyed as the client sent them", async () => {
    const { v2 } = await v2World();
    await refused(v2, PATH, {}, { label: ["This field is required."], value_type: ["This field is required."] });
    await refused(v2, PATH, { name: "Age" }, { type: ["This field is required."] });
    await refused(v2, PATH, { type: "number" }, { name: ["This field is required."] });
    await refused(v2, PATH, { label: "Age" }, { value_type: ["This field is required."] });
    await refused(v2, PATH, { label: "Age", value_type: "number" }, { value_type: ['"number" is not a valid choice.'] });
    await refused(v2, PATH, { name: "Age", type: "numeric" }, { type: ['"numeric" is not a valid choice.'] });
    await refused(v2, PATH, { label: "Age", value_type: null }, { value_type: ["This field may not be null."] });
    await refused(v2, PATH, { label: "Age", value_type: 7 }, { value_type: ['"7" is not a valid choice.'] });
    await refused(v2, PATH, { label: "Age", value_type: "" }, { value_type: ['"" is not a valid choice.'] });
    await refused(v2, PATH, { label: "Tier", value_type: "options" }, { options: ["This field is required."] });
    await refused(v2, PATH, { label: "Tier", value_type: "options", options: [] }, { options: ["This list may not be empty."] });
    await refused(
      v2,
      PATH,
      { label: "Tier", value_type: "options", options: "Gold" },
      { options: ['Expected a list of items but got type "str".'] },
    );
    await refused(v2, PATH, { label: "Tier", value_type: "options", options: null }, { options: ["This field may not be null."] });
    await refused(
      v2,
      PATH,
      { label: "Tier", value_type: "options", options: ["Gold", "gold"] },
      { options: ["Options must be distinct, ignoring case."] },
    );
    await refused(
      v2,
      PATH,
      { label: "Tier", value_type: "options", options: ["Gold", " ", {}] },
      {
        options: { "1": ["This field may not be blank."], "2": ["Not a valid string."] },
      },
    );
    await refused(
      v2,
      PATH,
      { label: "Tier", value_type: "options", options: Array.from({ length: 101 }, (_, i) => `o${i}`) },
      {
        options: ["This field can only contain up to 100 items."],
      },
    );
    await refused(
      v2,
      PATH,
      { label: "Tier", value_type: "options", options: ["x".repeat(641)] },
      {
        options: { "0": ["Ensure this field has no more than 640 characters."] },
      },
    );
    await refused(
      v2,
      PATH,
      { label: "Age", value_type: "text", options: ["a"] },
      { options: ["Only fields of type options take options."] },
    );
    await refused(v2, PATH, { label: "Age", value_type: "text", identifier: "maybe" }, { identifier: ["Must be a valid boolean."] });
    await refused(v2, PATH, { label: "Age", value_type: "text", identifier: null }, { identifier: ["This field may not be null."] });
    await refused(
      v2,
      PATH,
      { label: "Bad_label", value_type: "nope", identifier: [] },
      {
        label: ["Can only contain letters, numbers and hypens."],
        value_type: ['"nope" is not a valid choice.'],
        identifier: ["Must be a valid boolean."],
      },
    );
    // DRF's booleans: "true", "1", "yes", 1 …
    expect((await v2(PATH, { body: { label: "Code", value_type: "text", identifier: "yes" } })).body.identifier).toBe(true);
    expect((await v2(PATH, { body: { label: "Other", value_type: "text", identifier: 0 } })).body.identifier).toBe(false);
    // Nothing refused was written.
    expect((await v2(PATH)).body.results.map((f: { key: string }) => f.key)).toEqual(["other", "code"]);
  });

  it("updates label and type by ?key=, never the key", async () => {
    const { v2 } = await v2World();
    await v2(PATH, { body: { label: "Nick name", value_type: "text" } });
    await v2(PATH, { body: { label: "Side Kick", value_type: "text" } });
    const updated = await v2(`${PATH}?key=nick_name`, { body: { label: "Alias", value_type: "datetime" } });
    expect(updated).toMatchObject({ status: 200, body: field("nick_name", "Alias", "datetime") });
    expect((await v2(`${PATH}?key=nick_name`, { body: { name: "ALIAS", type: "number" } })).body).toEqual(
      field("nick_name", "ALIAS", "numeric"),
    );
    await refused(v2, `${PATH}?key=nick_name`, { label: "side kick", value_type: "text" }, { label: ["This field must be unique."] });
    // Both are required on an update too, as in RapidPro; a label's key must still be valid.
    await refused(v2, `${PATH}?key=nick_name`, {}, { label: ["This field is required."], value_type: ["This field is required."] });
    await refused(
      v2,
      `${PATH}?key=nick_name`,
      { label: "Name", value_type: "text" },
      { label: ['Generated key "name" is invalid or a reserved name.'] },
    );
    // A label whose key another field has is fine: the key does not change.
    expect((await v2(`${PATH}?key=side_kick`, { body: { label: "Nick-name", value_type: "text" } })).body.key).toBe("side_kick");
    // Options: given, kept while the field stays an options field, dropped when it stops being one.
    expect(
      (await v2(`${PATH}?key=side_kick`, { body: { label: "Tier", value_type: "options", options: ["A", "B"] } })).body.options,
    ).toEqual(["A", "B"]);
    expect((await v2(`${PATH}?key=side_kick`, { body: { label: "Tier", value_type: "options" } })).body.options).toEqual(["A", "B"]);
    expect((await v2(`${PATH}?key=side_kick`, { body: { label: "Tier", value_type: "text" } })).body.options).toBeNull();
    await refused(v2, `${PATH}?key=side_kick`, { label: "Tier", value_type: "options" }, { options: ["This field is required."] });
    for (const key of ["nope", "NICK_NAME"]) {
      expect(await v2(`${PATH}?key=${key}`, { body: { label: "X", value_type: "text" } })).toMatchObject({
        status: 404,
        body: { detail: "Not found." },
      });
    }
    expect((await v2(`${PATH}?key=side_kick`)).body.results).toEqual([field("side_kick", "Tier")]);
  });

  it("re-reads every stored text when the type changes, in statements of bounded size", async () => {
    const { ws, v2 } = await v2World();
    await v2(PATH, { body: { label: "Score", value_type: "text" } });
    const id = await fieldId(ws.id, "score");
    const contacts = await insertContacts(ws.id, 1203);
    const texts = (i: number) => ["1.50", "abc", "2", " 31-01-2020 ", "true", "1e3"][i % 6] as string;
    await insertValues(
      ws.id,
      id,
      contacts.map((c, i) => ({ contactId: c.id, text: texts(i) })),
    );
    const typedAll = async () => {
      const stored = await storedValues(id);
      return contacts.map((c) => stored.get(c.id)?.typed);
    };
    expect((await v2(`${PATH}?key=score`, { body: { label: "Score", value_type: "numeric" } })).status).toBe(200);
    const numbers = [1.5, null, 2, null, null, 1000];
    expect(await typedAll()).toEqual(contacts.map((_, i) => numbers[i % 6]));
    expect((await v2(`${PATH}?key=score`, { body: { label: "Score", value_type: "datetime" } })).status).toBe(200);
    expect(await typedAll()).toEqual(contacts.map((_, i) => (i % 6 === 3 ? "2020-01-31T00:00:00.000000Z" : null)));
    expect((await v2(`${PATH}?key=score`, { body: { label: "Score", type: "boolean" } })).status).toBe(200);
    expect(await typedAll()).toEqual(contacts.map((_, i) => (i % 6 === 4 ? true : null)));
    expect((await v2(`${PATH}?key=score`, { body: { label: "Score", value_type: "options", options: ["ABC", "Two"] } })).status).toBe(200);
    expect(await typedAll()).toEqual(contacts.map((_, i) => (i % 6 === 1 ? "ABC" : null)));
    expect((await v2(`${PATH}?key=score`, { body: { label: "Score", value_type: "text" } })).status).toBe(200);
    expect(await typedAll()).toEqual(contacts.map((_, i) => texts(i)));
    // The texts themselves never change.
    const stored = await storedValues(id);
    expect(contacts.every((c, i) => stored.get(c.id)?.text === texts(i))).toBe(true);
  });

  it("makes a field an identifier only when no two contacts share a value", async () => {
    const { ws, v2 } = await v2World();
    await v2(PATH, { body: { label: "Code", value_type: "text" } });
    const id = await fieldId(ws.id, "code");
    const [a, b, c] = await insertContacts(ws.id, 3);
    await insertValues(ws.id, id, [
      { contactId: a?.id as number, text: "AB-1" },
      { contactId: b?.id as number, text: " ab-1" },
      { contactId: c?.id as number, text: "1.0" },
    ]);
    const shared = ['Contacts share a value of the field "code", which an identifier field cannot hold twice.'];
    await refused(v2, `${PATH}?key=code`, { label: "Code", value_type: "text", identifier: true }, { identifier: shared });
    expect((await v2(`${PATH}?key=code`)).body.results[0].identifier).toBe(false);
    expect([...(await storedValues(id)).values()].map((v) => v.identity)).toEqual([null, null, null]);

    await env.DB.prepare("UPDATE contact_field_values SET text = 'CD-2' WHERE contact_id = ? AND field_id = ?").bind(b?.id, id).run();
    expect((await v2(`${PATH}?key=code`, { body: { label: "Code", value_type: "text", identifier: true } })).body.identifier).toBe(true);
    let stored = await storedValues(id);
    expect([a, b, c].map((x) => stored.get(x?.id as number)?.identity)).toEqual(["ab-1", "cd-2", "1.0"]);

    // A type change that would merge two values of an identifier field is refused under the type.
    await env.DB.prepare("UPDATE contact_field_values SET text = '1', identity = '1' WHERE contact_id = ? AND field_id = ?")
      .bind(b?.id, id)
      .run();
    await refused(v2, `${PATH}?key=code`, { name: "Code", type: "number" }, { type: shared });
    // Identities follow the canonical typed form once they may.
    await env.DB.prepare("UPDATE contact_field_values SET text = '2', identity = '2' WHERE contact_id = ? AND field_id = ?")
      .bind(b?.id, id)
      .run();
    expect((await v2(`${PATH}?key=code`, { body: { name: "Code", type: "number" } })).status).toBe(200);
    stored = await storedValues(id);
    expect([a, b, c].map((x) => stored.get(x?.id as number))).toEqual([
      { text: "AB-1", typed: null, identity: "ab-1" },
      { text: "2", typed: 2, identity: "2" },
      { text: "1.0", typed: 1, identity: "1" },
    ]);
    // No longer an identifier: the identities go.
    expect((await v2(`${PATH}?key=code`, { body: { name: "Code", type: "number", identifier: false } })).body.identifier).toBe(false);
    expect([...(await storedValues(id)).values()].map((v) => v.identity)).toEqual([null, null, null]);
  });

  it("filters by key and pages 260 fields through next", async () => {
    const { ws, v2 } = await v2World();
    const keys = await insertFields(ws.id, 260);
    const pages = await allPages(v2, PATH);
    expect(pages.map((p) => p.length)).toEqual([250, 10]);
    expect(pages.flat().map((f) => (f as { key: string }).key)).toEqual([...keys].reverse());
    const reversed = await allPages(v2, `${PATH}?reverse=1`);
    expect(reversed.flat().map((f) => (f as { key: string }).key)).toEqual(keys);
    expect((await v2(`${PATH}?key=f7`)).body).toEqual({ next: null, previous: null, results: [field("f7", "F7")] });
    expect((await v2(`${PATH}?key=nope`)).body.results).toEqual([]);
    // Another workspace has none of them.
    expect((await (await v2World()).v2(PATH)).body.results).toEqual([]);
  });

  it("allows 250 fields", async () => {
    const { ws, v2 } = await v2World();
    await insertFields(ws.id, 249);
    expect((await v2(PATH, { body: { label: "Last", value_type: "text" } })).status).toBe(201);
    await refused(
      v2,
      PATH,
      { label: "Too many", value_type: "text" },
      {
        non_field_errors: [
          "This org has 250 contact fields and the limit is 250. You must delete existing ones before you can create new ones.",
        ],
      },
    );
    // Field problems first; updates are not limited.
    await refused(v2, PATH, { label: "", value_type: "text" }, { label: ["This field may not be blank."] });
    expect((await v2(`${PATH}?key=last`, { body: { label: "Final", value_type: "numeric" } })).status).toBe(200);
    const count = await env.DB.prepare("SELECT count(*) AS n FROM contact_fields WHERE workspace_id = ?")
      .bind(ws.id)
      .first<{ n: number }>();
    expect(count?.n).toBe(250);
  });

  it("makes racing creates of one label one field", async () => {
    const { v2 } = await v2World();
    const answers = await Promise.all(Array.from({ length: 5 }, () => v2(PATH, { body: { label: "Race", value_type: "text" } })));
    expect(answers.map((a) => a.status).sort()).toEqual([201, 400, 400, 400, 400]);
    for (const a of answers.filter((a) => a.status === 400)) expect(a.body).toEqual({ label: ["This field must be unique."] });
  });

  it("has no DELETE, as RapidPro", async () => {
    const { ws, v2 } = await v2World();
    await v2(PATH, { body: { label: "Keep", value_type: "text" } });
    for (const path of [PATH, `/inboxes/${ws.inboxId}${PATH}`]) {
      const res = await v2(`${path}?key=keep`, { method: "DELETE" });
      expect(res).toMatchObject({ status: 405, body: { detail: 'Method "DELETE" not allowed.' } });
      expect(res.headers.get("allow")).toBe("GET, POST");
    }
    expect((await v2(PATH)).body.results).toHaveLength(1);
  });

  it("reads bodies as RapidPro does", async () => {
    const { admin, v2 } = await v2World();
    expect(await v2(PATH, { raw: "label=X", headers: { "content-type": "text/plain" } })).toMatchObject({
      status: 415,
      body: { detail: 'Unsupported media type "text/plain" in request.' },
    });
    expect(await v2(PATH, { body: [] })).toMatchObject({
      status: 400,
      body: { non_field_errors: ["Request body should be a single JSON object"] },
    });
    expect(await v2(PATH, { body: "label" })).toMatchObject({
      status: 400,
      body: { non_field_errors: ["Request body should be a single JSON object"] },
    });
    const malformed = await v2(PATH, { raw: '{"label": ', headers: { "content-type": "application/json" } });
    expect(malformed.status).toBe(400);
    expect(typeof malformed.body.detail).toBe("string");
    const required = { label: ["This field is required."], value_type: ["This field is required."] };
    expect(await v2(PATH, { method: "POST" })).toMatchObject({ status: 400, body: required });
    expect(await v2(PATH, { method: "POST", headers: { "content-type": "application/json" } })).toMatchObject({
      status: 400,
      body: required,
    });
    const get = await call(PATH, { token: admin.token, headers: { "content-type": "application/json" } });
    expect(get.status).toBe(200);
    expect(get.headers.get("location")).toBeNull();
  });

  it("refuses missing, bad and foreign credentials, and writes by users who may only read", async () => {
    const { ws, viewer, v2 } = await v2World();
    await v2(PATH, { body: { label: "Ours", value_type: "text" } });
    expect(await callJson(PATH)).toMatchObject({ status: 403, body: { detail: "Authentication credentials were not provided." } });
    expect(await callJson(PATH, { token: "f".repeat(40), body: {} })).toMatchObject({ status: 403, body: { detail: "Invalid token." } });
    expect((await v2(PATH, {}, viewer)).body.results).toHaveLength(1);
    const forbidden = { status: 403, body: { detail: "You do not have permission to perform this action." } };
    expect(await v2(PATH, { body: { label: "Mine", value_type: "text" } }, viewer)).toMatchObject(forbidden);
    expect(await v2(`${PATH}?key=ours`, { body: { label: "Mine", value_type: "text" } }, viewer)).toMatchObject(forbidden);
    const stranger = await createUser(await createWorkspace(), "admin");
    expect(await v2(`/inboxes/${ws.inboxId}${PATH}`, {}, stranger)).toMatchObject({ status: 404, body: { detail: "Not found." } });
    expect((await v2(PATH, {}, stranger)).body.results).toEqual([]);
    expect((await v2(`${PATH}?key=ours`, {}, stranger)).body.results).toEqual([]);
    expect(await v2(`${PATH}?key=ours`, { body: { label: "Theirs", value_type: "text" } }, stranger)).toMatchObject({
      status: 404,
      body: { detail: "Not found." },
    });
    // The same label lives independently in another workspace.
    expect((await v2(PATH, { body: { label: "Ours", value_type: "text" } }, stranger)).status).toBe(201);
    expect((await v2(`/inboxes/${ws.inboxId}${PATH}`)).body.results.map((f: { label: string }) => f.label)).toEqual(["Ours"]);
  });

  it("pages and re-types through indexes", async () => {
    const db = createDb(env);
    const plan = await queryPlan(fieldsPage(db, "w", { reverse: false, position: [1, 1] }, 251).toSQL());
    expect(plan).toMatch(/USING INDEX contact_fields_created_idx \(workspace_id=\? AND created_on<\?\)/);
    expect(plan).not.toMatch(/TEMP B-TREE/);
    // Each JSON row finds its value by the primary key, rather than every value of the field per row.
    const retype = await queryPlan(retypeStatement(db, "w", 1, "[[1, null, null]]").toSQL());
    expect(retype).toMatch(/^SCAN j VIRTUAL TABLE/);
    expect(retype).toMatch(
      /SEARCH contact_field_values USING INDEX sqlite_autoindex_contact_field_values_1 \(contact_id=\? AND field_id=\?\)/,
    );
  });
});
