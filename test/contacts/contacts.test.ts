import { HttpResponse, http } from "msw";
import { beforeAll, describe, expect, it } from "vitest";
import { callJson, platform } from "../helpers/api";
import { createUser, createWorkspace, type TestUser, type TestWorkspace } from "../helpers/factories";
import { upstream } from "../helpers/upstream";
import { APP_SECRET, cloudEnvelope, contact, newWaId, postWebhook, textMessage } from "../helpers/whatsapp";
import { headersOf, recording } from "../providers/record";

const DIRECTORY = "https://directory.example.test/contacts";
const OWN_DEFAULT = { type: "switchboard", name: "Switchboard", id: null };

/** A chat with a named contact: one inbound message, `at` seconds ago. */
async function chat(inboxId: string, name: string, ago: number): Promise<string> {
  const waId = newWaId();
  const res = await postWebhook(
    inboxId,
    cloudEnvelope({ contacts: [contact(waId, name)], messages: [textMessage(waId, "hello", Math.floor(Date.now() / 1000) - ago)] }),
  );
  expect(res.status).toBe(200);
  return waId;
}

/** A workspace of its own per test: providers are per inbox and chats per workspace. */
async function world() {
  const ws = await createWorkspace({ config: { app_secret: APP_SECRET } });
  const admin = await createUser(ws, "admin");
  return { ws, admin, path: (suffix = "") => `${ws.prefix}/contacts/${suffix}` };
}

const install = async (ws: TestWorkspace, admin: TestUser, body: Record<string, unknown>) => {
  const res = await callJson(`${ws.prefix}/contact_providers/`, { token: admin.token, body });
  expect(res.status).toBe(201);
  return res.body as { id: number; type: string; name: string };
};
const ref = (p: { id: number; type: string; name: string }) => ({ type: p.type, name: p.name, id: p.id });
const person = (name: string, waId: string, provider: unknown) => ({
  name,
  initials: name
    .split(" ")
    .map((w) => w[0])
    .join(""),
  phone_numbers: [{ phone_number: `+${waId}`, description: "WhatsApp" }],
  email_addresses: [],
  contact_provider: provider,
});

describe("GET /contacts/ with the own book installed by default", () => {
  let ws: TestWorkspace;
  let admin: TestUser;
  let ann: string;
  let bob: string;
  let cleo: string;
  beforeAll(async () => {
    ({ ws, admin } = await world());
    const second = await platform(`/workspaces/${ws.id}/inboxes`, {
      body: { name: "Second", provider: "sandbox", config: { app_secret: APP_SECRET } },
    });
    ann = await chat(ws.inboxId, "Ann Lee", 300);
    bob = await chat(second.body.id, "Bob Stone", 200);
    cleo = await chat(ws.inboxId, "Cleo", 100);
    // Ann also wrote to the second inbox, more recently and under a new name: one entry, the latest name.
    await postWebhook(second.body.id, cloudEnvelope({ contacts: [contact(ann, "Ann Lee-Park")], messages: [textMessage(ann, "again")] }));
  });

  it("lists the persons of every inbox of the workspace, once each, most recent first", async () => {
    const res = await callJson(`${ws.prefix}/contacts/`, { token: admin.token });
    expect(res).toMatchObject({ status: 200 });
    expect(res.body).toEqual({
      count: 3,
      next: null,
      results: [person("Ann Lee-Park", ann, OWN_DEFAULT), person("Cleo", cleo, OWN_DEFAULT), person("Bob Stone", bob, OWN_DEFAULT)],
      errors: [],
    });
  });

  it("searches names and number fragments", async () => {
    const byName = await callJson(`${ws.prefix}/contacts/?search=STONE`, { token: admin.token });
    expect(byName.body).toMatchObject({ count: 1, results: [{ name: "Bob Stone" }] });
    const byNumber = await callJson(`${ws.prefix}/contacts/?search=${encodeURIComponent(`+${cleo.slice(-7)}`)}`, { token: admin.token });
    expect(byNumber.body.results.map((r: { name: string }) => r.name)).toEqual(["Cleo"]);
  });

  it("shows only the persons of chats the user may read, and still answers 200 to a user who may read none", async () => {
    const agent = await createUser(ws, "user");
    const blind = await createUser(ws, "user", { can_read_chats: "none" });
    const permissions = { can_use_tags: true, can_read_chats: "none", can_write_to_chats: "none" };
    expect((await callJson(`${ws.prefix}/users/${blind.id}/`, { method: "PATCH", token: admin.token, body: { permissions } })).status).toBe(
      200,
    );
    const assigned = await callJson(`${ws.prefix}/chat_assignment/${cleo}/`, {
      method: "PUT",
      token: admin.token,
      body: { assigned_to_user: agent.id, assigned_group: null },
    });
    expect(assigned.status).toBe(200);

    const mine = await callJson(`${ws.prefix}/contacts/`, { token: agent.token });
    expect(mine.body).toEqual({ count: 1, next: null, results: [person("Cleo", cleo, OWN_DEFAULT)], errors: [] });
    const none = await callJson(`${ws.prefix}/contacts/?search=ann`, { token: blind.token });
    expect([none.status, none.body]).toEqual([200, { count: 0, next: null, results: [], errors: [] }]);
    const lookup = await callJson(`${ws.prefix}/contacts/${ann}`, { token: blind.token });
    expect([lookup.status, lookup.body]).toEqual([200, { person: null, contact_provider_results: [], errors: [] }]);
  });

  it("validates limit and pages with exact bodies", async () => {
    const cases: [string, unknown][] = [
      ["?limit=0", { limit: ["Ensure this value is greater than or equal to 1."] }],
      ["?limit=abc", { limit: [expect.any(String)] }],
      ["?pages=not-a-cursor", { pages: ["Invalid cursor: use the `next` link of an earlier page."] }],
      [`?pages=${btoa('{"own":{"p":"x"}}')}`, { pages: ["Invalid cursor: use the `next` link of an earlier page."] }],
    ];
    for (const [query, error] of cases) {
      const res = await callJson(`${ws.prefix}/contacts/${query}`, { token: admin.token });
      expect([query, res.status, res.body]).toEqual([query, 400, error]);
    }
  });
});

describe("GET /contacts/ with an HTTP directory", () => {
  it("calls the directory with the exact documented request and lists its answer", async () => {
    const { ws, admin, path } = await world();
    const crm = await install(ws, admin, { type: "http", name: "CRM", config: { url: `${DIRECTORY}?auth=k1`, token: "dir-token" } });
    const rec = recording(() =>
      HttpResponse.json({
        count: 2,
        next_page: null,
        results: [
          {
            name: "Dora Diaz",
            phone_numbers: ["+4930123456"],
            email_addresses: [{ email_address: "dora@example.com", description: "work" }],
          },
          { name: "", phone_numbers: [{ phone_number: "+4930999999", description: "office" }], unknown_field: true },
        ],
      }),
    );
    upstream.use(http.get(DIRECTORY, rec.handler));

    const res = await callJson(path("?search=d%C3%B6ra&limit=5"), { token: admin.token });

    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      count: 2,
      next: null,
      results: [
        {
          name: "Dora Diaz",
          initials: "DD",
          phone_numbers: [{ phone_number: "+4930123456", description: "" }],
          email_addresses: [{ email_address: "dora@example.com", description: "work" }],
          contact_provider: ref(crm),
        },
        {
          name: "",
          initials: "99",
          phone_numbers: [{ phone_number: "+4930999999", description: "office" }],
          email_addresses: [],
          contact_provider: ref(crm),
        },
      ],
      errors: [],
    });
    expect(rec.requests).toHaveLength(1);
    expect(rec.requests[0]?.method).toBe("GET");
    expect(rec.requests[0]?.url).toBe(`${DIRECTORY}?auth=k1&search=d%C3%B6ra&limit=5&page=1`);
    expect(headersOf(rec.requests[0])).toEqual({ accept: "application/json", authorization: "Bearer dir-token" });
  });

  it("leaves out a failing directory, names it in errors, and still answers 200 with the other providers", async () => {
    const { ws, admin, path } = await world();
    const ann = await chat(ws.inboxId, "Ann Lee", 10);
    const own = await install(ws, admin, { type: "switchboard", name: "Our customers" });
    const crm = await install(ws, admin, { type: "http", name: "CRM", config: { url: DIRECTORY } });
    const failures: [string, () => Response, string][] = [
      ["an error status", () => HttpResponse.json({ secret: "stack trace" }, { status: 500 }), "it answered HTTP 500."],
      [
        "a redirect, not followed",
        () => new HttpResponse(null, { status: 302, headers: { Location: "https://10.0.0.1/" } }),
        "it answered HTTP 302.",
      ],
      ["an answer of another shape", () => HttpResponse.json({ contacts: [] }), "Unexpected answer from directory.example.test"],
      ["no answer at all", () => HttpResponse.error(), "directory.example.test is unreachable."],
    ];
    for (const [what, reply, reason] of failures) {
      upstream.use(http.get(DIRECTORY, reply));
      const res = await callJson(path(), { token: admin.token });
      expect([what, res.status]).toEqual([what, 200]);
      expect(res.body.results).toEqual([person("Ann Lee", ann, ref(own))]);
      expect(res.body.count).toBe(1);
      expect(res.body.errors).toEqual([
        { contact_provider: ref(crm), detail: expect.stringContaining(`The contact provider "CRM" failed: ${reason}`) },
      ]);
      expect(JSON.stringify(res.body)).not.toContain("stack trace");
      const lookup = await callJson(path(`${ann}/`), { token: admin.token });
      expect([what, lookup.status, lookup.body.contact_provider_results.length, lookup.body.errors.length]).toEqual([what, 200, 1, 1]);
    }
  });

  it("pages two providers with one cursor; count is their sum, null once one cannot count", async () => {
    const { ws, admin, path } = await world();
    const names = ["P1", "P2", "P3"];
    const waIds: string[] = [];
    for (const [i, name] of names.entries()) waIds.push(await chat(ws.inboxId, name, 100 - i));
    const own = await install(ws, admin, { type: "switchboard", name: "Own" });
    const crm = await install(ws, admin, { type: "http", name: "CRM", config: { url: DIRECTORY } });
    const entry = (n: string) => ({ name: n, phone_numbers: [] });
    const rec = recording(({ request }) => {
      const page = new URL(request.url).searchParams.get("page");
      return HttpResponse.json(
        page === "1"
          ? { count: 3, next_page: "cursor-b", results: [entry("D1"), entry("D2")] }
          : { count: 3, next_page: null, results: [entry("D3")] },
      );
    });
    upstream.use(http.get(DIRECTORY, rec.handler));

    const first = await callJson(path("?limit=2&search="), { token: admin.token });
    expect(first.body).toMatchObject({ count: 6, errors: [] });
    expect(first.body.results.map((r: { name: string; contact_provider: { id: number } }) => [r.name, r.contact_provider.id])).toEqual([
      ["P3", own.id],
      ["P2", own.id],
      ["D1", crm.id],
      ["D2", crm.id],
    ]);
    const next = new URL(first.body.next);
    expect(next.pathname).toBe(`${ws.prefix}/contacts/`);
    expect(next.searchParams.get("limit")).toBe("2");
    expect(next.searchParams.get("pages")).toMatch(/^[A-Za-z0-9_-]+$/);

    const second = await callJson(first.body.next, { token: admin.token });
    expect(second.body).toMatchObject({ count: 6, next: null, errors: [] });
    expect(second.body.results.map((r: { name: string }) => r.name)).toEqual(["P1", "D3"]);
    expect(rec.requests.map((r) => new URL(r.url).search)).toEqual(["?search=&limit=2&page=1", "?search=&limit=2&page=cursor-b"]);

    // A directory that cannot count makes the total unknown.
    upstream.use(http.get(DIRECTORY, () => HttpResponse.json({ results: [entry("D9")] })));
    const uncounted = await callJson(path("?limit=2"), { token: admin.token });
    expect(uncounted.body).toMatchObject({ count: null, errors: [] });
    expect(uncounted.body.results.map((r: { name: string }) => r.name)).toEqual(["P3", "P2", "D9"]);
    // The directory is done after one page; the own book still has one more.
    const rest = await callJson(uncounted.body.next, { token: admin.token });
    expect(rest.body).toMatchObject({ count: null, next: null, results: [{ name: "P1" }] });
    expect(waIds).toHaveLength(3);
  });
});

describe("GET /contacts/{wa_id}/", () => {
  it("answers with and without the trailing slash: this inbox's person and every provider's entries", async () => {
    const { ws, admin, path } = await world();
    const ann = await chat(ws.inboxId, "Ann Lee", 10);
    const own = await install(ws, admin, { type: "switchboard", name: "Own" });
    const crm = await install(ws, admin, { type: "http", name: "CRM", config: { url: DIRECTORY, token: "t" } });
    const rec = recording(() =>
      HttpResponse.json({ results: [{ name: "Ann Lee (CRM)", phone_numbers: [`+${ann}`], email_addresses: ["ann@example.com"] }] }),
    );
    upstream.use(http.get(DIRECTORY, rec.handler));

    for (const suffix of [`${ann}/`, ann]) {
      const res = await callJson(path(suffix), { token: admin.token });
      expect([suffix, res.status]).toEqual([suffix, 200]);
      expect(res.body).toEqual({
        person: {
          wa_id: ann,
          waba_payload: { profile: { name: "Ann Lee" }, wa_id: ann },
          initials: "AL",
          last_message_timestamp: expect.any(Number),
        },
        contact_provider_results: [
          person("Ann Lee", ann, ref(own)),
          {
            name: "Ann Lee (CRM)",
            initials: "AL",
            phone_numbers: [{ phone_number: `+${ann}`, description: "" }],
            email_addresses: [{ email_address: "ann@example.com", description: "" }],
            contact_provider: ref(crm),
          },
        ],
        errors: [],
      });
    }
    expect(rec.requests.map((r) => r.url)).toEqual([`${DIRECTORY}?phone_number=${ann}`, `${DIRECTORY}?phone_number=${ann}`]);
    expect(headersOf(rec.requests[0])).toEqual({ accept: "application/json", authorization: "Bearer t" });
  });

  it("without the trailing slash (undocumented), refuses what the documented form refuses", async () => {
    const { ws, admin, path } = await world();
    const foreign = await createUser(await createWorkspace(), "admin");
    const waId = "4915100000001";
    const none = await callJson(path(waId));
    expect([none.status, none.body]).toEqual([403, { detail: "Authentication credentials were not provided." }]);
    const wrong = await callJson(path(waId), { token: "0".repeat(40) });
    expect([wrong.status, wrong.body]).toEqual([403, { detail: "Invalid token." }]);
    // Another workspace's credential is answered exactly like a missing inbox (both by APPEND_SLASH's redirect to the 404).
    const theirs = await callJson(path(waId), { token: foreign.token });
    const missing = await callJson(`/inboxes/${crypto.randomUUID()}/api/v1/contacts/${waId}`, { token: foreign.token });
    expect({ status: theirs.status, body: theirs.body }).toEqual({ status: missing.status, body: missing.body });
    expect((await callJson(`${ws.prefix}/contacts/${waId}/`, { token: foreign.token })).status).toBe(404);
    expect((await callJson(path(waId), { token: admin.token })).status).toBe(200);
  });

  it("answers a number nobody knows with no person and no results", async () => {
    const { admin, path } = await world();
    const res = await callJson(path("+49 151 99999999/"), { token: admin.token });
    expect([res.status, res.body]).toEqual([200, { person: null, contact_provider_results: [], errors: [] }]);
  });
});
