import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createDb } from "../../src/db/client";
import { groupByNameKey, groupsPage, touchMembersStatement } from "../../src/db/queries/contact-groups";
import { readOne } from "../../src/db/queries/reads";
import { createGroupStatements, findGroups, validateGroupName } from "../../src/services/contact-groups";
import { call, callJson } from "../helpers/api";
import { createUser, createWorkspace } from "../helpers/factories";
import { queryPlan } from "../helpers/plans";
import { addMembers, allPages, contactRows, insertContacts, insertGroups, UUID, v2World } from "./support";

const PATH = "/api/v2/groups.json";
const group = (name: string, count = 0) => ({ uuid: expect.stringMatching(UUID), name, query: null, status: "ready", count });

describe("RapidPro v2 groups.json", () => {
  it("replays the seeds' create, rename and delete", async () => {
    const { v2 } = await v2World();
    // The seeds print `{"name": ""}` answering "Reporters": a blank name is refused.
    expect(await v2(PATH, { body: { name: "" } })).toMatchObject({ status: 400, body: { name: ["This field may not be blank."] } });
    const created = await v2(PATH, { body: { name: "Reporters" } });
    expect(created.status).toBe(201);
    expect(created.body).toEqual(group("Reporters"));
    const uuid = created.body.uuid;
    const renamed = await v2(`${PATH}?uuid=${uuid}`, { body: { name: "Checked" } });
    expect(renamed).toMatchObject({ status: 200, body: { uuid, name: "Checked", count: 0, query: null, status: "ready" } });
    expect((await v2(`${PATH}?uuid=${uuid}`)).body.results).toEqual([{ uuid, name: "Checked", query: null, status: "ready", count: 0 }]);
    const deleted = await call(`${PATH}?uuid=${uuid}`, { method: "DELETE", token: (await v2World()).admin.token });
    // Another workspace's admin: as if the group did not exist.
    expect(deleted.status).toBe(404);
    const removed = await v2(`${PATH}?uuid=${uuid}`, { method: "DELETE" });
    expect(removed.status).toBe(204);
    expect(removed.body).toBeNull();
    expect(await v2(`${PATH}?uuid=${uuid}`, { method: "DELETE" })).toEqual(
      expect.objectContaining({ status: 404, body: { detail: "Not found." } }),
    );
    expect((await v2(PATH)).body).toEqual({ next: null, previous: null, results: [] });
  });

  it("checks names as RapidPro does, every problem of the body at once", async () => {
    const { v2 } = await v2World();
    const refused = async (body: unknown, expected: unknown) => {
      const res = await v2(PATH, { body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body, JSON.stringify(body)).toEqual(expected);
    };
    await refused({}, { name: ["This field is required."] });
    await refused({ name: "   " }, { name: ["This field may not be blank."] });
    await refused({ name: null }, { name: ["This field may not be null."] });
    await refused({ name: ["Devs"] }, { name: ["Not a valid string."] });
    await refused({ name: true }, { name: ["Not a valid string."] });
    await refused({ name: "x".repeat(65) }, { name: ["Ensure this field has no more than 64 characters."] });
    await refused({ name: "-Devs" }, { name: ["Name contains illegal characters."] });
    await refused({ name: "  (Devs)" }, { name: ["Name contains illegal characters."] });
    await refused({ name: "De\u0000vs" }, { name: ["Null characters are not allowed."] });
    // Length before the characters, as DRF's validators run before RapidPro's `validate_name`.
    await refused({ name: `-${"x".repeat(64)}` }, { name: ["Ensure this field has no more than 64 characters."] });

    expect(await v2(PATH, { body: { name: "  Devs  " } })).toMatchObject({ status: 201, body: { name: "Devs" } });
    await refused({ name: "DEVS" }, { name: ["This field must be unique."] });
    // Names are trimmed, may start with a digit, `_` or any letter, and be 64 characters long.
    for (const name of ["_internal", "2024 leads", "Ñandú", "Éclair-fans", "x".repeat(64), 42]) {
      expect((await v2(PATH, { body: { name } })).status, String(name)).toBe(201);
    }
    // Another workspace may use the same name.
    const other = await v2World();
    expect((await other.v2(PATH, { body: { name: "devs" } })).status).toBe(201);
  });

  it("renames by ?uuid=, unique except against itself", async () => {
    const { v2 } = await v2World();
    const devs = (await v2(PATH, { body: { name: "Devs" } })).body;
    await v2(PATH, { body: { name: "Ops" } });
    expect(await v2(`${PATH}?uuid=${devs.uuid}`, { body: { name: "DEVS" } })).toMatchObject({
      status: 200,
      body: { uuid: devs.uuid, name: "DEVS" },
    });
    expect(await v2(`${PATH}?uuid=${devs.uuid}`, { body: { name: "ops" } })).toMatchObject({
      status: 400,
      body: { name: ["This field must be unique."] },
    });
    expect(await v2(`${PATH}?uuid=${devs.uuid}`, { body: {} })).toMatchObject({ status: 400, body: { name: ["This field is required."] } });
    // The uuid is read as a uuid (any case); one that is not a uuid, or is unknown, finds nothing, before the body is read.
    expect((await v2(`${PATH}?uuid=${devs.uuid.toUpperCase()}`, { body: { name: "Devs" } })).status).toBe(200);
    for (const uuid of ["nope", crypto.randomUUID()]) {
      expect(await v2(`${PATH}?uuid=${uuid}`, { body: { name: "" } })).toMatchObject({ status: 404, body: { detail: "Not found." } });
    }
  });

  it("deletes a group: its memberships go and its members' modified_on moves", async () => {
    const { ws, v2 } = await v2World();
    const [doomed, kept] = await Promise.all([v2(PATH, { body: { name: "Doomed" } }), v2(PATH, { body: { name: "Kept" } })]);
    const past = 1_600_000_000_000_000;
    // A modified_on ahead of the clock still moves (by one microsecond).
    const future = Date.now() * 1000 + 3_600_000_000;
    const [a, b] = await insertContacts(ws.id, 2, past);
    const [ahead] = await insertContacts(ws.id, 1, future);
    const [outsider] = await insertContacts(ws.id, 1, past);
    const doomedId = await addMembers(doomed.body.uuid, [a?.id as number, b?.id as number, ahead?.id as number]);
    await addMembers(kept.body.uuid, [a?.id as number, outsider?.id as number]);
    expect((await v2(`${PATH}?uuid=${doomed.body.uuid}`)).body.results[0].count).toBe(3);

    const before = Date.now() * 1000;
    expect((await v2(`${PATH}?uuid=${doomed.body.uuid}`, { method: "DELETE" })).status).toBe(204);
    const rows = await contactRows([a, b, ahead, outsider].map((c) => c?.uuid as string));
    expect(rows.get(a?.uuid as string)?.modified_on).toBeGreaterThanOrEqual(before);
    expect(rows.get(b?.uuid as string)?.modified_on).toBeGreaterThanOrEqual(before);
    expect(rows.get(ahead?.uuid as string)?.modified_on).toBe(future + 1);
    expect(rows.get(outsider?.uuid as string)?.modified_on).toBe(past);
    const members = await env.DB.prepare("SELECT count(*) AS n FROM contact_group_members WHERE group_id = ?")
      .bind(doomedId)
      .first<{ n: number }>();
    expect(members?.n).toBe(0);
    expect((await v2(PATH)).body.results).toEqual([{ ...group("Kept", 2), uuid: kept.body.uuid }]);
  });

  it("needs the uuid to delete", async () => {
    const { v2 } = await v2World();
    expect(await v2(PATH, { method: "DELETE" })).toMatchObject({
      status: 400,
      body: { detail: "URL must contain one of the following parameters: uuid" },
    });
    expect(await v2(`${PATH}?uuid=not-a-uuid`, { method: "DELETE" })).toMatchObject({ status: 404, body: { detail: "Not found." } });
  });

  it("lists newest first, filters by uuid or name ignoring case, counts from the counter", async () => {
    const { ws, v2 } = await v2World();
    const [first, second] = await insertGroups(ws.id, 2, 1_600_000_000_000_000, 7);
    const listed = await v2(PATH);
    expect(listed.body).toEqual({
      next: null,
      previous: null,
      results: [
        { uuid: second, name: "Group 1", query: null, status: "ready", count: 7 },
        { uuid: first, name: "Group 0", query: null, status: "ready", count: 7 },
      ],
    });
    expect((await v2(`${PATH}?reverse=1`)).body.results.map((g: { uuid: string }) => g.uuid)).toEqual([first, second]);
    expect((await v2(`${PATH}?name=GROUP%200`)).body.results.map((g: { uuid: string }) => g.uuid)).toEqual([first]);
    expect((await v2(`${PATH}?uuid=${second?.toUpperCase()}`)).body.results.map((g: { uuid: string }) => g.uuid)).toEqual([second]);
    expect((await v2(`${PATH}?uuid=nope`)).body.results).toEqual([]);
    expect((await v2(`${PATH}?name=nobody`)).body.results).toEqual([]);
    expect(await v2(`${PATH}?uuid=${first}&name=Group%200`)).toMatchObject({
      status: 400,
      body: { detail: "You may only specify one of the uuid, name parameters" },
    });
    expect(await v2(`${PATH}?cursor=garbage`)).toMatchObject({ status: 404, body: { detail: "Invalid cursor" } });
  });

  it("pages 260 groups through next, keeping the filters", async () => {
    const { ws, v2 } = await v2World();
    const uuids = await insertGroups(ws.id, 260);
    const pages = await allPages(v2, `${PATH}`);
    expect(pages.map((p) => p.length)).toEqual([250, 10]);
    expect(pages.flat().map((g) => (g as { uuid: string }).uuid)).toEqual([...uuids].reverse());
    const first = await v2(`${PATH}?reverse=true`);
    const next = new URL(first.body.next);
    expect(next.origin).toBe("http://switchboard.test");
    expect(next.pathname).toBe(PATH);
    expect(next.searchParams.get("reverse")).toBe("true");
    expect(next.searchParams.get("cursor")).toBeTruthy();
    const reversed = await allPages(v2, `${PATH}?reverse=true`);
    expect(reversed.flat().map((g) => (g as { uuid: string }).uuid)).toEqual(uuids);
    // Under an inbox address, `next` stays there.
    const scoped = await v2(`/inboxes/${ws.inboxId}${PATH}`);
    expect(new URL(scoped.body.next).pathname).toBe(`/inboxes/${ws.inboxId}${PATH}`);
  });

  it("allows 250 groups", async () => {
    const { ws, v2 } = await v2World();
    await insertGroups(ws.id, 249);
    expect((await v2(PATH, { body: { name: "The last one" } })).status).toBe(201);
    expect(await v2(PATH, { body: { name: "One too many" } })).toMatchObject({
      status: 400,
      body: {
        non_field_errors: ["This org has 250 groups and the limit is 250. You must delete existing ones before you can create new ones."],
      },
    });
    // Name problems come first, as DRF validates fields before the object; renames are not limited.
    expect(await v2(PATH, { body: { name: "" } })).toMatchObject({ status: 400, body: { name: ["This field may not be blank."] } });
    const last = (await v2(`${PATH}?name=the%20last%20one`)).body.results[0];
    expect((await v2(`${PATH}?uuid=${last.uuid}`, { body: { name: "Renamed" } })).status).toBe(200);
  });

  it("makes racing creates of one name one group", async () => {
    const { v2 } = await v2World();
    const answers = await Promise.all(Array.from({ length: 5 }, () => v2(PATH, { body: { name: "Race" } })));
    expect(answers.map((a) => a.status).sort()).toEqual([201, 400, 400, 400, 400]);
    for (const a of answers.filter((a) => a.status === 400)) expect(a.body).toEqual({ name: ["This field must be unique."] });
  });

  it("reads bodies as RapidPro does", async () => {
    const { v2 } = await v2World();
    expect(await v2(PATH, { raw: "name=Devs", headers: { "content-type": "application/x-www-form-urlencoded" } })).toMatchObject({
      status: 415,
      body: { detail: 'Unsupported media type "application/x-www-form-urlencoded" in request.' },
    });
    expect(await v2(PATH, { body: [] })).toMatchObject({
      status: 400,
      body: { non_field_errors: ["Request body should be a single JSON object"] },
    });
    const malformed = await v2(PATH, { raw: "{nope", headers: { "content-type": "application/json" } });
    expect(malformed.status).toBe(400);
    expect(typeof malformed.body.detail).toBe("string");
    // No body at all is `{}`, with or without a JSON content type.
    expect(await v2(PATH, { method: "POST" })).toMatchObject({ status: 400, body: { name: ["This field is required."] } });
    expect(await v2(PATH, { method: "POST", headers: { "content-type": "application/json" } })).toMatchObject({
      status: 400,
      body: { name: ["This field is required."] },
    });
    // A GET may carry a JSON content type and no body; `.json` paths are never redirected.
    const get = await call(PATH, { token: (await v2World()).admin.token, headers: { "content-type": "application/json" } });
    expect(get.status).toBe(200);
    expect(get.headers.get("location")).toBeNull();
    expect((await v2(`${PATH}/`)).status).toBe(404);
    expect(await v2(PATH, { method: "PUT", body: { name: "x" } })).toMatchObject({
      status: 405,
      body: { detail: 'Method "PUT" not allowed.' },
    });
  });

  it("refuses missing, bad and foreign credentials, and writes by users who may only read", async () => {
    const { ws, viewer, v2 } = await v2World();
    const devs = (await v2(PATH, { body: { name: "Devs" } })).body;
    expect(await callJson(PATH)).toMatchObject({ status: 403, body: { detail: "Authentication credentials were not provided." } });
    expect(await callJson(PATH, { body: { name: "x" } })).toMatchObject({
      status: 403,
      body: { detail: "Authentication credentials were not provided." },
    });
    expect(await callJson(PATH, { token: "0".repeat(40) })).toMatchObject({ status: 403, body: { detail: "Invalid token." } });
    // A viewer reads, and may not write.
    expect((await v2(PATH, {}, viewer)).body.results).toHaveLength(1);
    const forbidden = { status: 403, body: { detail: "You do not have permission to perform this action." } };
    expect(await v2(PATH, { body: { name: "Mine" } }, viewer)).toMatchObject(forbidden);
    expect(await v2(`${PATH}?uuid=${devs.uuid}`, { body: { name: "Mine" } }, viewer)).toMatchObject(forbidden);
    expect(await v2(`${PATH}?uuid=${devs.uuid}`, { method: "DELETE" }, viewer)).toMatchObject(forbidden);
    // `app` users write, as RapidPro's editors.
    const app = await createUser(ws, "app");
    expect((await v2(PATH, { body: { name: "Apps" } }, app)).status).toBe(201);

    // Another workspace: its token under this workspace's inbox is a missing inbox's 404; its own lists never show ours.
    const stranger = await createUser(await createWorkspace(), "admin");
    const missing = await v2(`/inboxes/${crypto.randomUUID()}${PATH}`, {}, stranger);
    const foreign = await v2(`/inboxes/${ws.inboxId}${PATH}`, {}, stranger);
    expect(foreign.status).toBe(404);
    expect(foreign.body).toEqual(missing.body);
    expect(await v2(`/inboxes/${ws.inboxId}${PATH}`, { body: { name: "Intruders" } }, stranger)).toMatchObject({ status: 404 });
    expect((await v2(PATH, {}, stranger)).body.results).toEqual([]);
    expect((await v2(`${PATH}?uuid=${devs.uuid}`, {}, stranger)).body.results).toEqual([]);
    expect(await v2(`${PATH}?uuid=${devs.uuid}`, { body: { name: "Taken over" } }, stranger)).toMatchObject({
      status: 404,
      body: { detail: "Not found." },
    });
    expect(await v2(`${PATH}?uuid=${devs.uuid}`, { method: "DELETE" }, stranger)).toMatchObject({
      status: 404,
      body: { detail: "Not found." },
    });
    // Under its own inbox address the workspace's own token works.
    expect((await v2(`/inboxes/${ws.inboxId}${PATH}`)).body.results.map((g: { name: string }) => g.name).sort()).toEqual(["Apps", "Devs"]);
  });

  it("finds groups for contact writes by uuid or by name ignoring case, in the workspace only", async () => {
    const { ws, v2 } = await v2World();
    const devs = (await v2(PATH, { body: { name: "Devs" } })).body;
    const ops = (await v2(PATH, { body: { name: "Ops" } })).body;
    const other = await v2World();
    const theirs = (await other.v2(PATH, { body: { name: "Theirs" } })).body;
    const db = createDb(env);
    const found = await readOne(
      db,
      findGroups(db, ws.id, [devs.uuid, ops.uuid.toUpperCase(), "OPS", " devs ", "Theirs", theirs.uuid, "nobody", ops.name]),
    );
    expect([...found.keys()].sort()).toEqual([devs.uuid, ops.uuid.toUpperCase(), " devs ", "OPS", "Ops"].sort());
    expect(found.get(ops.uuid.toUpperCase())?.uuid).toBe(ops.uuid);
    expect(found.get("OPS")?.uuid).toBe(ops.uuid);
    expect(found.get(" devs ")?.uuid).toBe(devs.uuid);
    expect((await readOne(db, findGroups(db, ws.id, []))).size).toBe(0);
    // Many refs at once stay within D1's bound parameters.
    const many = await readOne(
      db,
      findGroups(
        db,
        ws.id,
        Array.from({ length: 150 }, (_, i) => (i % 2 ? `name ${i}` : crypto.randomUUID())),
      ),
    );
    expect(many.size).toBe(0);
  });

  it("creates groups inside another write's batch", async () => {
    const { ws, v2 } = await v2World();
    const db = createDb(env);
    const { groups, statements } = createGroupStatements(db, ws.id, ["  Leads ", "Customers"]);
    expect(groups.map((g) => g.name)).toEqual(["Leads", "Customers"]);
    await db.batch([statements[0] as (typeof statements)[number], ...statements.slice(1)]);
    const found = await readOne(db, findGroups(db, ws.id, ["leads", "customers"]));
    expect(found.get("leads")?.uuid).toBe(groups[0]?.uuid);
    expect((await v2(PATH)).body.results.map((g: { name: string }) => g.name).sort()).toEqual(["Customers", "Leads"]);
  });

  it("validates a name on its own for other dialects", () => {
    expect(validateGroupName("Devs")).toBeNull();
    expect(validateGroupName("  Devs ")).toBeNull();
    expect(validateGroupName("")).toBe("This field may not be blank.");
    expect(validateGroupName("x".repeat(65))).toBe("Ensure this field has no more than 64 characters.");
    expect(validateGroupName("#vip")).toBe("Name contains illegal characters.");
    expect(validateGroupName("a\u0000")).toBe("Null characters are not allowed.");
  });

  it("lists and looks names up through indexes", async () => {
    const db = createDb(env);
    const page = await queryPlan(groupsPage(db, "w", { reverse: false, position: [1, 1] }, 251).toSQL());
    expect(page).toMatch(/USING INDEX contact_groups_created_idx \(workspace_id=\? AND created_on<\?\)/);
    expect(page).not.toMatch(/TEMP B-TREE/);
    expect(page).not.toMatch(/^SCAN contact_groups$/m);
    const byName = await queryPlan(groupsPage(db, "w", { nameKey: "devs", reverse: false, position: null }, 251).toSQL());
    expect(byName).toMatch(/contact_groups_name_idx \(workspace_id=\? AND name_key=\?\)/);
    const byUuid = await queryPlan(groupsPage(db, "w", { uuid: crypto.randomUUID(), reverse: false, position: null }, 251).toSQL());
    expect(byUuid).toMatch(/contact_groups_uuid_idx \(uuid=\?\)/);
    expect(await queryPlan(groupByNameKey(db, "w", "devs").toSQL())).toMatch(/contact_groups_name_idx \(workspace_id=\? AND name_key=\?\)/);
    // A delete touches its members by id, not by walking the workspace's contacts.
    const touch = await queryPlan(touchMembersStatement(db, "w", 1, 1).toSQL());
    expect(touch).toMatch(/SEARCH contacts USING INTEGER PRIMARY KEY \(rowid=\?\)/);
    expect(touch).toMatch(/contact_group_members.*\(group_id=\?\)/);
  });
});
