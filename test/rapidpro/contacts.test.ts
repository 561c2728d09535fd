import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { call, callJson, type RequestOptions } from "../helpers/api";
import { createUser, createWorkspace, type TestUser, type TestWorkspace } from "../helpers/factories";
import { queryPlan } from "../helpers/plans";

const PATH = "/api/v2/contacts.json";

async function setup() {
  const ws = await createWorkspace();
  const admin = await createUser(ws, "admin");
  const v2 = (path: string, options: RequestOptions = {}, as: TestUser = admin) => callJson(path, { token: as.token, ...options });
  return { ws, admin, v2 };
}

/** The seed's fields and group, created as a CRM would before replaying its examples. */
async function seedSchema(v2: Awaited<ReturnType<typeof setup>>["v2"]) {
  for (const label of ["Nickname", "Side Kick"]) {
    expect((await v2("/api/v2/fields.json", { body: { label, value_type: "text" } })).status).toBe(201);
  }
  const group = await v2("/api/v2/groups.json", { body: { name: "Devs" } });
  expect(group.status).toBe(201);
  return { groupUuid: group.body.uuid as string };
}

const ISO_MICROS = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/;

describe("RapidPro v2 contacts.json", () => {
  it("replays the seed's create, update by uuid, upsert by urn and deletes", async () => {
    const { v2, admin } = await setup();
    const { groupUuid } = await seedSchema(v2);
    const created = await v2(PATH, {
      body: {
        name: "John Cordeiro",
        language: "por",
        urns: ["tel:+558299331122", "whatsapp:558299331122", "mailto:john.dalton@ilhasoft.com.br", "ext:123456"],
        groups: [groupUuid],
        fields: { nickname: "Macklemore", side_kick: "Ryan Lewis" },
      },
    });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      uuid: expect.stringMatching(/^[0-9a-f-]{36}$/),
      name: "John Cordeiro",
      language: "por",
      urns: ["tel:+558299331122", "whatsapp:558299331122", "mailto:john.dalton@ilhasoft.com.br", "ext:123456"],
      groups: [{ uuid: groupUuid, name: "Devs" }],
      fields: { nickname: "Macklemore", side_kick: "Ryan Lewis" },
      flow: null,
      status: "active",
      blocked: false,
      stopped: false,
      created_on: expect.stringMatching(ISO_MICROS),
      modified_on: expect.stringMatching(ISO_MICROS),
      last_seen_on: null,
    });
    const uuid = created.body.uuid;

    // The seed's update sends its groups as {"name","uuid"} objects; only the keys given change.
    const updated = await v2(`${PATH}?uuid=${uuid}`, {
      body: {
        name: "John Cordeiro",
        language: "por",
        urns: ["tel:+558299331122", "whatsapp:558299331122"],
        groups: [{ name: "Devs", uuid: groupUuid }],
        fields: {},
      },
    });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({
      uuid,
      urns: ["tel:+558299331122", "whatsapp:558299331122"],
      groups: [{ uuid: groupUuid, name: "Devs" }],
      fields: { nickname: "Macklemore", side_kick: "Ryan Lewis" },
    });
    expect(updated.body.modified_on > created.body.modified_on).toBe(true);

    // `?urn=` matching nobody creates (201), then updates the same contact (200).
    const upserted = await v2(`${PATH}?urn=tel%3A%2B250783835665`, { body: { fields: { nickname: "Ben" } } });
    expect(upserted.status).toBe(201);
    expect(upserted.body).toMatchObject({ urns: ["tel:+250783835665"], fields: { nickname: "Ben", side_kick: null } });
    const again = await v2(`${PATH}?urn=tel%3A%2B250783835665`, { body: { fields: { side_kick: "Jerry" } } });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ uuid: upserted.body.uuid, fields: { nickname: "Ben", side_kick: "Jerry" } });

    const byUrn = await call(`${PATH}?urn=tel%3A%2B250783835665`, { method: "DELETE", token: admin.token });
    expect(byUrn.status).toBe(204);
    expect(await byUrn.text()).toBe("");
    const byUuid = await call(`${PATH}?uuid=${uuid}`, { method: "DELETE", token: admin.token });
    expect(byUuid.status).toBe(204);
    expect((await v2(`${PATH}?uuid=${uuid}`, { method: "DELETE" })).body).toEqual({ detail: "Not found." });
  });

  it("keeps a soft-deleted contact as a tombstone and frees its URNs at once", async () => {
    const { v2 } = await setup();
    const { groupUuid } = await seedSchema(v2);
    const made = await v2(PATH, { body: { name: "Ana", urns: ["whatsapp:491701234567"], groups: ["devs"], fields: { nickname: "A" } } });
    expect((await v2(`${PATH}?urn=whatsapp:491701234567`, { method: "DELETE" })).status).toBe(204);
    const tombstones = await v2(`${PATH}?deleted=1`);
    expect(tombstones.body.results).toEqual([
      {
        uuid: made.body.uuid,
        name: null,
        language: null,
        urns: [],
        groups: [],
        fields: {},
        flow: null,
        status: null,
        blocked: null,
        stopped: null,
        created_on: made.body.created_on,
        modified_on: expect.stringMatching(ISO_MICROS),
        last_seen_on: null,
      },
    ]);
    expect((await v2(PATH)).body.results).toEqual([]);
    expect((await v2(`/api/v2/groups.json?uuid=${groupUuid}`)).body.results[0].count).toBe(0);
    // The number is free for a new contact; the tombstone cannot be modified.
    expect((await v2(PATH, { body: { urns: ["whatsapp:491701234567"] } })).status).toBe(201);
    expect(await v2(`${PATH}?uuid=${made.body.uuid}`, { body: { name: "Back" } })).toMatchObject({
      status: 400,
      body: { non_field_errors: ["Inactive contacts can't be modified."] },
    });
  });

  it("answers every problem of a body together, in RapidPro's words", async () => {
    const { v2 } = await setup();
    await seedSchema(v2);
    const refused = await v2(PATH, {
      body: {
        name: "x".repeat(65),
        language: "xx",
        urns: ["tel:0788123123", "whatsapp:+4917", "ext:ok", 5],
        groups: ["Nobody"],
        fields: { nickname: "x".repeat(641) },
      },
    });
    expect(refused).toMatchObject({
      status: 400,
      body: {
        name: ["Ensure this field has no more than 64 characters."],
        language: ["Ensure this field has at least 3 characters."],
        urns: {
          "0": ["Invalid URN: tel:0788123123. Ensure phone numbers contain country codes."],
          "1": ["Invalid URN: whatsapp:+4917. Ensure phone numbers contain country codes."],
          "3": ["Invalid URN: 5. Ensure phone numbers contain country codes."],
        },
        groups: ["No such object: Nobody"],
        fields: { nickname: ["Ensure this field has no more than 640 characters."] },
      },
    });
    expect(Object.keys(refused.body).sort()).toEqual(["fields", "groups", "language", "name", "urns"]);
    const cases: [unknown, unknown][] = [
      [{ name: "" }, { name: ["This field may not be blank."] }],
      [{ name: "a\u0000b" }, { name: ["Null characters are not allowed."] }],
      [{ name: true }, { name: ["Not a valid string."] }],
      [{ language: "zzz" }, { language: ["Not a valid ISO639-3 language code."] }],
      [{ language: "abcd" }, { language: ["Ensure this field has no more than 3 characters."] }],
      [{ urns: "tel:+250788123123" }, { urns: ['Expected a list of items but got type "str".'] }],
      [{ urns: null }, { urns: ["This field may not be null."] }],
      [{ urns: Array.from({ length: 101 }, (_, i) => `ext:${i}`) }, { urns: ["This field can only contain up to 100 items."] }],
      [{ urns: [null] }, { urns: { "0": ["This field may not be null."] } }],
      [{ groups: [["x"]] }, { groups: ["Must be a string or integer"] }],
      [{ groups: {} }, { groups: ['Expected a list of items but got type "dict".'] }],
      [{ fields: { unknown_key: "1" } }, { fields: ["Invalid contact field key: unknown_key"] }],
      [{ fields: { nickname: "a\u0000" } }, { fields: { nickname: ["Null characters are not allowed."] } }],
      [{ fields: { nickname: true } }, { fields: { nickname: ["Not a valid string."] } }],
      [{ fields: [] }, { fields: ['Expected a dictionary of items but got type "list".'] }],
    ];
    for (const [body, expected] of cases) {
      const res = await v2(PATH, { body });
      expect({ body, status: res.status, answer: res.body }).toEqual({ body, status: 400, answer: expected });
    }
    expect(await v2(`${PATH}?uuid=x&urn=tel:+250788123123`, { body: {} })).toMatchObject({
      status: 400,
      body: { detail: "URL can only contain one of the following parameters: urn, uuid" },
    });
    expect(await v2(PATH, { method: "DELETE" })).toMatchObject({
      status: 400,
      body: { detail: "URL must contain one of the following parameters: urn, uuid" },
    });
    expect(await v2(`${PATH}?urn=tel:+250788123123`, { body: { urns: ["tel:+250788123123"] } })).toMatchObject({
      status: 400,
      body: { urns: ["Field not allowed when using URN in URL"] },
    });
    expect(await v2(`${PATH}?urn=tel%3A%2B90987877`)).toMatchObject({ status: 400, body: { detail: "Invalid URN: tel:+90987877" } });
    expect(await v2(`${PATH}?uuid=not-a-uuid`, { body: { name: "x" } })).toMatchObject({ status: 404, body: { detail: "Not found." } });
    expect(await v2(PATH, { raw: "[]", headers: { "content-type": "application/json" } })).toMatchObject({
      status: 400,
      body: { non_field_errors: ["Request body should be a single JSON object"] },
    });
    expect((await v2(PATH, { raw: "{", headers: { "content-type": "application/json" } })).status).toBe(400);
    expect((await v2(PATH, { raw: "name=x", headers: { "content-type": "application/x-www-form-urlencoded" } })).status).toBe(415);
    // Nothing refused left a contact behind.
    expect((await v2(PATH)).body.results).toEqual([]);
  });

  it("never takes a URN from another contact, and replaces lists in the order given", async () => {
    const { v2, admin } = await setup();
    await seedSchema(v2);
    const a = await v2(PATH, { body: { urns: ["tel:+250788000001"] } });
    const b = await v2(PATH, { body: { urns: ["tel:+250788000002", "ext:b"] } });
    expect(await v2(PATH, { body: { urns: ["tel:+250 788 000 001"] } })).toMatchObject({
      status: 400,
      body: { urns: ["URN belongs to another contact: tel:+250788000001"] },
    });
    expect(await v2(`${PATH}?uuid=${b.body.uuid}`, { body: { urns: ["ext:new", "tel:+250788000001"] } })).toMatchObject({
      status: 400,
      body: { urns: ["URN belongs to another contact: tel:+250788000001"] },
    });
    const reordered = await v2(`${PATH}?uuid=${b.body.uuid}`, { body: { urns: ["ext:b", "mailto:B@Example.com", "tel:+250788000002"] } });
    expect(reordered.body.urns).toEqual(["ext:b", "mailto:b@example.com", "tel:+250788000002"]);
    // An update with nothing to change (no body at all) answers 200 with the contact.
    const nothing = await call(`${PATH}?uuid=${a.body.uuid}`, {
      method: "POST",
      token: admin.token,
      headers: { "content-type": "application/json" },
    });
    expect(nothing.status).toBe(200);
    expect((await nothing.json<{ uuid: string }>()).uuid).toBe(a.body.uuid);
    // Groups: names ignore case, `[]` empties; blocked contacts cannot join one.
    expect((await v2(`${PATH}?uuid=${a.body.uuid}`, { body: { groups: ["DEVS"] } })).body.groups).toMatchObject([{ name: "Devs" }]);
    expect((await v2(`${PATH}?uuid=${a.body.uuid}`, { body: { groups: [] } })).body.groups).toEqual([]);
    await env.DB.prepare("UPDATE contacts SET status = 'blocked' WHERE uuid = ?").bind(a.body.uuid).run();
    expect(await v2(`${PATH}?uuid=${a.body.uuid}`, { body: { groups: ["Devs"] } })).toMatchObject({
      status: 400,
      body: { groups: ["Non-active contacts can't be added to groups"] },
    });
    expect((await v2(`${PATH}?uuid=${a.body.uuid}`)).body).toBeDefined();
  });

  it("stores every text and shows a value that does not parse as its type as null", async () => {
    const { v2 } = await setup();
    for (const [label, value_type] of [
      ["Age", "numeric"],
      ["Born", "datetime"],
    ]) {
      expect((await v2("/api/v2/fields.json", { body: { label, value_type } })).status).toBe(201);
    }
    const made = await v2(PATH, { body: { urns: ["ext:1"], fields: { age: "12.50", born: "2020-01-31T09:27:39.071299-03:00" } } });
    expect(made.status).toBe(201);
    expect(made.body.fields).toEqual({ age: "12.5", born: "2020-01-31T12:27:39.071299Z" });
    const odd = await v2(`${PATH}?uuid=${made.body.uuid}`, { body: { fields: { age: "twelve", born: 5 } } });
    expect(odd.status).toBe(200);
    expect(odd.body.fields).toEqual({ age: null, born: null });
    const texts = await env.DB.prepare(
      "SELECT v.text FROM contact_field_values v JOIN contacts c ON c.id = v.contact_id WHERE c.uuid = ? ORDER BY v.field_id",
    )
      .bind(made.body.uuid)
      .all<{ text: string }>();
    expect(texts.results.map((r) => r.text)).toEqual(["twelve", "5"]);
    expect((await v2(`${PATH}?uuid=${made.body.uuid}`, { body: { fields: { age: "", born: null } } })).body.fields).toEqual({
      age: null,
      born: null,
    });
  });

  it("lists newest first in keyset pages whose next keeps every filter", async () => {
    const { v2, ws } = await setup();
    const group = await v2("/api/v2/groups.json", { body: { name: "Import" } });
    // 260 contacts straight into D1 (the API path is the import benchmark's job), 255 in the group.
    const at = Date.now() * 1000;
    const statements = [];
    for (let i = 0; i < 260; i++) {
      statements.push(
        env.DB.prepare("INSERT INTO contacts (uuid, workspace_id, created_on, modified_on) VALUES (?, ?, ?, ?)").bind(
          crypto.randomUUID(),
          ws.id,
          at,
          at + (i % 7),
        ),
      );
    }
    await env.DB.batch(statements);
    await env.DB.prepare(
      "INSERT INTO contact_group_members (group_id, contact_id) SELECT g.id, c.id FROM contact_groups g, contacts c WHERE g.uuid = ? AND c.workspace_id = ? ORDER BY c.id LIMIT 255",
    )
      .bind(group.body.uuid, ws.id)
      .run();
    const seen: string[] = [];
    let url: string | null = `${PATH}?group=import`;
    let pages = 0;
    let previous = "9999";
    while (url) {
      const page = await v2(url, { headers: { "content-type": "application/json" } });
      expect(page.status).toBe(200);
      pages++;
      for (const c of page.body.results) {
        expect(c.modified_on <= previous).toBe(true);
        previous = c.modified_on;
        seen.push(c.uuid);
      }
      url = page.body.next;
      if (url) {
        expect(url.startsWith("http://switchboard.test/api/v2/contacts.json?")).toBe(true);
        expect(new URL(url).searchParams.get("group")).toBe("import");
        expect(new URL(url).searchParams.get("cursor")).toBeTruthy();
      }
    }
    expect(pages).toBe(2);
    expect(new Set(seen).size).toBe(255);
    const oldest = await v2(`${PATH}?reverse=true`);
    expect(oldest.body.results.length).toBe(250);
    expect(oldest.body.results[0].modified_on <= oldest.body.results[249].modified_on).toBe(true);
    const stamp = oldest.body.results[0].modified_on;
    const bounded = await v2(`${PATH}?before=${stamp}&after=${stamp}`);
    expect(bounded.body.results.length).toBeGreaterThan(0);
    expect(bounded.body.results.every((c: { modified_on: string }) => c.modified_on === stamp)).toBe(true);
    expect((await v2(`${PATH}?before=yesterday`)).body).toEqual({ next: null, previous: null, results: [] });
    expect((await v2(`${PATH}?group=nobody`)).body.results).toEqual([]);
    expect((await v2(`${PATH}?cursor=garbage`)).status).toBe(404);
  });

  it("finds by urn in any formatting and by uuid", async () => {
    const { v2 } = await setup();
    const made = await v2(PATH, { body: { urns: ["tel:+250788123123", "twitter:@Jack"] } });
    for (const q of ["urn=tel%3A%2B250788123123", "urn=tel:+250 788-123-123", "urn=twitter:jack", `uuid=${made.body.uuid}`]) {
      const found = await v2(`${PATH}?${q}`);
      expect({ q, results: found.body.results.map((c: { uuid: string }) => c.uuid) }).toEqual({ q, results: [made.body.uuid] });
    }
    expect((await v2(`${PATH}?urn=tel:+250788999999`)).body.results).toEqual([]);
  });

  it("lets every user read, admins and apps write, and keeps workspaces apart", async () => {
    const { ws, v2 } = await setup();
    const reader = await createUser(ws, "user");
    const app = await createUser(ws, "app");
    expect((await v2(PATH, {}, reader)).status).toBe(200);
    expect(await v2(PATH, { body: { urns: ["ext:r"] } }, reader)).toMatchObject({
      status: 403,
      body: { detail: "You do not have permission to perform this action." },
    });
    const made = await v2(PATH, { body: { urns: ["ext:app"] } }, app);
    expect(made.status).toBe(201);
    expect(await callJson(PATH)).toMatchObject({ status: 403, body: { detail: "Authentication credentials were not provided." } });
    expect(await callJson(PATH, { token: "f".repeat(40) })).toMatchObject({ status: 403, body: { detail: "Invalid token." } });
    // Another workspace: its token sees none of these contacts, and under this workspace's inbox address it gets a 404.
    const other: TestWorkspace = await createWorkspace();
    const stranger = await createUser(other, "admin");
    expect((await v2(PATH, {}, stranger)).body.results).toEqual([]);
    expect((await v2(`${PATH}?uuid=${made.body.uuid}`, { body: { name: "x" } }, stranger)).status).toBe(404);
    expect((await v2(`${PATH}?uuid=${made.body.uuid}`, { method: "DELETE" }, stranger)).status).toBe(404);
    expect((await v2(PATH, { body: { urns: ["ext:app"] } }, stranger)).status).toBe(201);
    expect(await v2(`/inboxes/${ws.inboxId}/api/v2/contacts.json`, {}, stranger)).toMatchObject({
      status: 404,
      body: { detail: "Not found." },
    });
    const scoped = await v2(`/inboxes/${ws.inboxId}/api/v2/contacts.json`);
    expect(scoped.body.results.map((c: { uuid: string }) => c.uuid)).toEqual([made.body.uuid]);
    // The .json path is never redirected.
    expect((await call(`${PATH}/`, { token: reader.token })).status).toBe(404);
  });

  it("makes one contact of racing creates and upserts of one URN", async () => {
    const { v2 } = await setup();
    const creates = await Promise.all(Array.from({ length: 6 }, () => v2(PATH, { body: { urns: ["tel:+250788555555"] } })));
    expect(creates.map((r) => r.status).sort()).toEqual([201, 400, 400, 400, 400, 400]);
    for (const r of creates.filter((r) => r.status === 400)) {
      expect(r.body).toEqual({ urns: ["URN belongs to another contact: tel:+250788555555"] });
    }
    const upserts = await Promise.all(Array.from({ length: 6 }, (_, i) => v2(`${PATH}?urn=ext:race`, { body: { name: `n${i}` } })));
    expect(upserts.map((r) => r.status).sort()).toEqual([200, 200, 200, 200, 200, 201]);
    expect(new Set(upserts.map((r) => r.body.uuid)).size).toBe(1);
  });

  it("keeps an identifier value to one contact, reported beside the body's other problems and decided by the index in a race", async () => {
    const { v2 } = await setup();
    expect((await v2("/api/v2/fields.json", { body: { label: "CPF", value_type: "text", identifier: true } })).status).toBe(201);
    const first = await v2(PATH, { body: { urns: ["ext:first"], fields: { cpf: "123.456" } } });
    expect(first.status).toBe(201);
    // Its own value again, and in another case (identities ignore case), is no clash.
    expect((await v2(`${PATH}?uuid=${first.body.uuid}`, { body: { fields: { cpf: "123.456" } } })).status).toBe(200);
    expect(await v2(PATH, { body: { urns: ["ext:second"], fields: { cpf: "123.456" } } })).toMatchObject({
      status: 400,
      body: { fields: { cpf: ["This value belongs to another contact."] } },
    });
    expect(await v2(PATH, { body: { urns: ["ext:second"], groups: ["Nobody"], fields: { cpf: "123.456" } } })).toMatchObject({
      status: 400,
      body: { groups: ["No such object: Nobody"], fields: { cpf: ["This value belongs to another contact."] } },
    });
    expect((await v2(`${PATH}?urn=ext:second`, { body: { fields: { cpf: "123.456" } } })).status).toBe(400);
    // Nothing of the refused writes was kept.
    expect((await v2(`${PATH}?urn=ext:second`)).body.results).toEqual([]);

    const racing = await Promise.all(
      Array.from({ length: 6 }, (_, i) => v2(PATH, { body: { urns: [`ext:race${i}`], fields: { cpf: "999" } } })),
    );
    expect(racing.map((r) => r.status).sort()).toEqual([201, 400, 400, 400, 400, 400]);
    for (const r of racing.filter((r) => r.status === 400)) {
      expect(r.body).toEqual({ fields: { cpf: ["This value belongs to another contact."] } });
    }
    const listed = await v2(PATH);
    expect(listed.body.results.filter((c: { fields: { cpf: string | null } }) => c.fields.cpf === "999")).toHaveLength(1);
  });

  it("looks URNs up and pages contacts through their indexes", async () => {
    const plan = (sql: string, ...params: unknown[]) => queryPlan({ sql, params });
    expect(await plan("SELECT contact_id FROM contact_urns WHERE workspace_id = ? AND identity = ?", "w", "tel:+1")).toContain(
      "contact_urns_identity_idx",
    );
    expect(
      await plan(
        "SELECT * FROM contacts WHERE workspace_id = ? AND deleted_on IS NULL AND (modified_on, id) < (?, ?) ORDER BY modified_on DESC, id DESC LIMIT 251",
        "w",
        1,
        1,
      ),
    ).toMatch(/contacts_modified_idx/);
  });
});
