import { beforeAll, describe, expect, it } from "vitest";
import { callJson } from "../helpers/api";
import { createUser, createWorkspace, type TestUser, type TestWorkspace } from "../helpers/factories";

let ws: TestWorkspace;
let admin: TestUser;
let agent: TestUser;
beforeAll(async () => {
  ws = await createWorkspace();
  admin = await createUser(ws, "admin");
  agent = await createUser(ws, "user");
});
const path = (suffix = "") => `${ws.prefix}/saved_responses/${suffix}`;

describe("saved responses", () => {
  it("are created by any user with the seed's shape and listed newest first, with search", async () => {
    const first = await callJson(path(), { token: agent.token, body: { text: "Your order is on its way." } });
    expect(first).toMatchObject({
      status: 201,
      body: { id: expect.any(Number), text: "Your order is on its way.", created_by: agent.username, timestamp: expect.any(Number) },
    });
    expect(Math.abs(first.body.timestamp - Date.now() / 1000)).toBeLessThan(60);
    const second = await callJson(path(), { token: admin.token, body: { text: "Thank you for WAITING" } });
    const list = await callJson(path(), { token: agent.token });
    expect(list.body).toMatchObject({ count: 2, next: null, previous: null });
    expect(list.body.results.map((r: { id: number }) => r.id)).toEqual([second.body.id, first.body.id]);
    const found = await callJson(path("?search=waiting"), { token: agent.token });
    expect(found.body.results.map((r: { text: string }) => r.text)).toEqual(["Thank you for WAITING"]);
    expect((await callJson(path(`${first.body.id}/`), { token: admin.token })).body).toEqual(first.body);
    // Workspace-wide: another inbox of the same workspace would show them; another workspace does not.
    const other = await createWorkspace();
    const stranger = await createUser(other, "admin");
    expect((await callJson(`${other.prefix}/saved_responses/`, { token: stranger.token })).body.count).toBe(0);
    expect((await callJson(`${other.prefix}/saved_responses/${first.body.id}/`, { token: stranger.token })).status).toBe(404);
  });

  it("validates the text", async () => {
    const cases: [unknown, unknown][] = [
      [{}, { text: ["This field is required."] }],
      [{ text: "   " }, { text: ["This field may not be blank."] }],
      [{ text: "x".repeat(4097) }, { text: ["Ensure this field has no more than 4096 characters."] }],
      [{ text: 5 }, { text: [expect.any(String)] }],
    ];
    for (const [body, error] of cases) {
      const res = await callJson(path(), { token: agent.token, body });
      expect([res.status, res.body]).toEqual([400, error]);
    }
    expect((await callJson(path(), { token: agent.token, body: { text: "x".repeat(4096) } })).status).toBe(201);
  });

  it("are deleted by their creator or an admin only", async () => {
    const other = await createUser(ws, "user");
    const mine = (await callJson(path(), { token: agent.token, body: { text: "mine" } })).body;
    const refused = await callJson(path(`${mine.id}/`), { method: "DELETE", token: other.token });
    expect(refused).toMatchObject({ status: 403, body: { detail: "Only its creator or an admin can delete a saved response." } });
    expect((await callJson(path(`${mine.id}/`), { method: "DELETE", token: agent.token })).status).toBe(204);
    const theirs = (await callJson(path(), { token: other.token, body: { text: "theirs" } })).body;
    expect((await callJson(path(`${theirs.id}/`), { method: "DELETE", token: admin.token })).status).toBe(204);
    expect((await callJson(path(`${theirs.id}/`), { token: admin.token })).status).toBe(404);
  });
});
