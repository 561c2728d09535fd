import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { createDb } from "../../src/db/client";
import { contacts, stages } from "../../src/db/schema";
import { call, callJson } from "../helpers/api";
import { createUser, createWorkspace, type TestUser, type TestWorkspace } from "../helpers/factories";

const V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const NOT_FOUND = { status: 404, body: { detail: "Not found." } };

/** Storage is shared by the whole file: every test gets a workspace of its own. */
async function world(): Promise<{ ws: TestWorkspace; admin: TestUser; agent: TestUser; path: (suffix?: string) => string }> {
  const ws = await createWorkspace();
  return {
    ws,
    admin: await createUser(ws, "admin"),
    agent: await createUser(ws, "user"),
    path: (suffix = "") => `${ws.prefix}/stages/${suffix}`,
  };
}

const names = (body: { results: { name: string }[] }) => body.results.map((s) => s.name);

describe("stages", () => {
  it("are created by admins, read by every user, renamed, moved and deleted", async () => {
    const { admin, agent, path } = await world();
    const lead = await callJson(path(), { token: admin.token, body: { name: "  Lead  " } });
    expect(lead).toMatchObject({ status: 201, body: { id: expect.stringMatching(V4), name: "Lead", position: 0 } });
    expect(Object.keys(lead.body).sort()).toEqual(["id", "name", "position"]);
    const won = await callJson(path(), { token: admin.token, body: { name: "Won" } });
    expect(won.body.position).toBe(1);
    expect(won.body.id).not.toBe(lead.body.id);

    expect(await callJson(path(`${lead.body.id}/`), { token: agent.token })).toEqual({
      status: 200,
      body: lead.body,
      headers: expect.anything(),
    });
    // Ids are UUIDs, matched in any case.
    expect((await callJson(path(`${lead.body.id.toUpperCase()}/`), { token: agent.token })).body).toEqual(lead.body);

    const renamed = await callJson(path(`${won.body.id}/`), { method: "PATCH", token: admin.token, body: { name: "Closed won" } });
    expect(renamed).toMatchObject({ status: 200, body: { id: won.body.id, name: "Closed won", position: 1 } });
    const moved = await callJson(path(`${won.body.id}/`), { method: "PATCH", token: admin.token, body: { position: 7 } });
    expect(moved.body).toEqual({ id: won.body.id, name: "Closed won", position: 7 });
    // A stage may change the case of its own name; an empty patch changes nothing.
    const recased = await callJson(path(`${won.body.id}/`), { method: "PATCH", token: admin.token, body: { name: "Closed Won" } });
    expect(recased.body.name).toBe("Closed Won");
    expect((await callJson(path(`${won.body.id}/`), { method: "PATCH", token: admin.token, body: {} })).body).toEqual(recased.body);

    expect((await call(path(`${won.body.id}/`), { method: "DELETE", token: admin.token })).status).toBe(204);
    expect(await callJson(path(`${won.body.id}/`), { token: admin.token })).toMatchObject(NOT_FOUND);
    expect(await callJson(path(`${won.body.id}/`), { method: "DELETE", token: admin.token })).toMatchObject(NOT_FOUND);
    expect((await callJson(path(), { token: agent.token })).body).toEqual({ count: 1, next: null, previous: null, results: [lead.body] });
  });

  it("are listed by position, then name, in pages; a new one goes after the last", async () => {
    const { admin, agent, path } = await world();
    for (const body of [{ name: "won", position: 5 }, { name: "Qualified", position: 2 }, { name: "Lost", position: 5 }, { name: "New" }]) {
      expect((await callJson(path(), { token: admin.token, body })).status).toBe(201);
    }
    const all = await callJson(path(), { token: agent.token });
    expect(all.body.results.map((s: { name: string; position: number }) => [s.name, s.position])).toEqual([
      ["Qualified", 2],
      ["Lost", 5],
      ["won", 5],
      ["New", 6],
    ]);
    const first = await callJson(path("?limit=2"), { token: agent.token });
    expect(first.body).toMatchObject({ count: 4, previous: null, next: `http://switchboard.test${path("?limit=2&offset=2")}` });
    expect(names(first.body)).toEqual(["Qualified", "Lost"]);
    const second = await callJson(first.body.next, { token: agent.token });
    expect(second.body).toMatchObject({ count: 4, next: null, previous: `http://switchboard.test${path("?limit=2")}` });
    expect(names(second.body)).toEqual(["won", "New"]);
    // Form bodies carry the position as text.
    const form = await callJson(path(), { token: admin.token, raw: new URLSearchParams({ name: "Nurture", position: "3" }) });
    expect(form).toMatchObject({ status: 201, body: { name: "Nurture", position: 3 } });
  });

  it("validate the name and the position with DRF's messages", async () => {
    const { admin, path } = await world();
    const taken = await callJson(path(), { token: admin.token, body: { name: "Negotiation" } });
    const cases: [unknown, unknown][] = [
      [{}, { name: ["This field is required."] }],
      [{ name: "   " }, { name: ["This field may not be blank."] }],
      [{ name: null }, { name: ["This field may not be null."] }],
      [{ name: "x".repeat(101) }, { name: ["Ensure this field has no more than 100 characters."] }],
      [{ name: "NEGOTIATION" }, { name: ["This field must be unique."] }],
      [{ name: " negotiation " }, { name: ["This field must be unique."] }],
      [{ name: "Demo", position: -1 }, { position: ["Ensure this value is greater than or equal to 0."] }],
      [{ name: "Demo", position: 1.5 }, { position: ["A valid integer is required."] }],
      [{ name: "Demo", position: "first" }, { position: ["A valid integer is required."] }],
      [{ name: "Demo", position: null }, { position: ["This field may not be null."] }],
      [{ name: "Demo", position: 2 ** 31 }, { position: ["Ensure this value is less than or equal to 2147483647."] }],
    ];
    for (const [body, error] of cases) {
      const res = await callJson(path(), { token: admin.token, body });
      expect([body, res.status, res.body]).toEqual([body, 400, error]);
    }
    const other = await callJson(path(), { token: admin.token, body: { name: "x".repeat(100), position: 2 ** 31 - 1 } });
    expect(other).toMatchObject({ status: 201, body: { name: "x".repeat(100), position: 2 ** 31 - 1 } });
    const patch = (body: unknown) => callJson(path(`${other.body.id}/`), { method: "PATCH", token: admin.token, body });
    expect(await patch({ name: "negotiation" })).toMatchObject({ status: 400, body: { name: ["This field must be unique."] } });
    expect(await patch({ name: "" })).toMatchObject({ status: 400, body: { name: ["This field may not be blank."] } });
    expect(await patch({ position: "-3" })).toMatchObject({
      status: 400,
      body: { position: ["Ensure this value is greater than or equal to 0."] },
    });
    // Nothing of the refused writes was kept.
    const list = await callJson(path(), { token: admin.token });
    expect(list.body.results).toEqual([taken.body, other.body]);
  });

  it("are written by admins only (others 403) and read by every user", async () => {
    const { admin, agent, path } = await world();
    const stage = (await callJson(path(), { token: admin.token, body: { name: "Onboarding" } })).body;
    const forbidden = { status: 403, body: { detail: "You do not have permission to perform this action." } };
    expect(await callJson(path(), { token: agent.token, body: { name: "Mine" } })).toMatchObject(forbidden);
    expect(await callJson(path(`${stage.id}/`), { method: "PATCH", token: agent.token, body: { name: "X" } })).toMatchObject(forbidden);
    expect(await callJson(path(`${stage.id}/`), { method: "DELETE", token: agent.token })).toMatchObject(forbidden);
    expect(await callJson(path(`${stage.id}/`), { token: agent.token })).toMatchObject({ status: 200, body: stage });
  });

  it("answer a foreign workspace's stage, an unknown one and a malformed id with the same 404", async () => {
    const { admin, path } = await world();
    const stage = (await callJson(path(), { token: admin.token, body: { name: "Shared name" } })).body;
    const other = await world();
    // The same name is free in another workspace.
    expect((await callJson(other.path(), { token: other.admin.token, body: { name: "shared NAME" } })).status).toBe(201);
    for (const id of [stage.id, crypto.randomUUID(), "not-a-uuid", "1", `${stage.id}0`]) {
      for (const method of ["GET", "PATCH", "DELETE"]) {
        const body = method === "PATCH" ? { name: "Stolen" } : undefined;
        const res = await callJson(other.path(`${id}/`), { method, token: other.admin.token, body });
        expect([id, method, res.status, res.body]).toEqual([id, method, ...Object.values(NOT_FOUND)]);
      }
    }
    expect(names((await callJson(other.path(), { token: other.admin.token })).body)).toEqual(["shared NAME"]);
    expect((await callJson(path(`${stage.id}/`), { token: admin.token })).body).toEqual(stage);
  });

  it("when deleted, leave their contacts in no stage, and move their modified_on", async () => {
    const { ws, admin, path } = await world();
    const doomed = (await callJson(path(), { token: admin.token, body: { name: "Cold" } })).body;
    const kept = (await callJson(path(), { token: admin.token, body: { name: "Warm" } })).body;
    const db = createDb(env);
    const longAgo = 1_000_000;
    const contact = (stageId: string) => ({
      uuid: crypto.randomUUID(),
      workspaceId: ws.id,
      stageId,
      createdOn: longAgo,
      modifiedOn: longAgo,
    });
    const [inDoomed, inKept] = await db
      .insert(contacts)
      .values([contact(doomed.id), contact(kept.id)])
      .returning();
    expect((await call(path(`${doomed.id}/`), { method: "DELETE", token: admin.token })).status).toBe(204);
    const after = await db.select().from(contacts).where(eq(contacts.workspaceId, ws.id));
    const byId = new Map(after.map((c) => [c.id, c]));
    expect(byId.get(inDoomed?.id ?? 0)).toMatchObject({ stageId: null });
    expect(byId.get(inDoomed?.id ?? 0)?.modifiedOn).toBeGreaterThan(Date.now() * 1000 - 60_000_000);
    expect(byId.get(inKept?.id ?? 0)).toMatchObject({ stageId: kept.id, modifiedOn: longAgo });
    expect(await db.select().from(stages).where(eq(stages.id, doomed.id))).toEqual([]);
  });

  it("are documented under the Stages tag, with uuid ids and an integer position", async () => {
    const doc = (await callJson("/openapi.json")).body;
    const ops = [
      doc.paths["/api/v1/stages/"]?.get,
      doc.paths["/api/v1/stages/"]?.post,
      ...["get", "patch", "delete"].map((m) => doc.paths["/api/v1/stages/{id}/"]?.[m]),
    ];
    expect(ops.map((op) => op?.tags)).toEqual(Array(5).fill(["Stages"]));
    expect(doc.paths["/api/v1/stages/{id}/"].get.parameters).toEqual([
      expect.objectContaining({ name: "id", in: "path", schema: expect.objectContaining({ type: "string", format: "uuid" }) }),
      { $ref: "#/components/parameters/D1Bookmark" },
    ]);
    const body = doc.paths["/api/v1/stages/"].post.requestBody.content["application/json"].schema;
    expect(body).toMatchObject({ required: ["name"], properties: { name: { maxLength: 100 }, position: { type: "integer", minimum: 0 } } });
  });
});
