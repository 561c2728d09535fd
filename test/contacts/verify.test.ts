import { env } from "cloudflare:workers";
import { HttpResponse, http } from "msw";
import { beforeAll, describe, expect, it } from "vitest";
import { callJson } from "../helpers/api";
import { createUser, createWorkspace, type TestUser, type TestWorkspace } from "../helpers/factories";
import { upstream } from "../helpers/upstream";
import { headersOf, recording } from "../providers/record";

const BASE = "https://wa.example.test:9090";

describe("POST /contacts/verify/ on a sandbox inbox (number parsing, not a registration check)", () => {
  let ws: TestWorkspace;
  let agent: TestUser;
  beforeAll(async () => {
    ws = await createWorkspace();
    agent = await createUser(ws, "user");
  });

  it("answers from parsing, in order, on both paths, and calls no upstream", async () => {
    const contacts = ["+49 151 12345678", "16502530000", "12345", "0151 1234567", "+49 151 12345678"];
    const expected = {
      contacts: [
        { input: "+49 151 12345678", status: "valid", wa_id: "4915112345678" },
        { input: "16502530000", status: "valid", wa_id: "16502530000" },
        { input: "12345", status: "invalid" },
        { input: "0151 1234567", status: "invalid" },
        { input: "+49 151 12345678", status: "valid", wa_id: "4915112345678" },
      ],
    };
    for (const path of ["/contacts/verify/", "/contacts/"]) {
      const res = await callJson(`${ws.prefix}${path}`, { token: agent.token, body: { blocking: "wait", contacts } });
      expect([path, res.status, res.body]).toEqual([path, 200, expected]);
    }
    const stored = await env.DB.prepare("SELECT input, status, wa_id FROM number_checks WHERE inbox_id = ? ORDER BY input")
      .bind(ws.inboxId)
      .all();
    expect(stored.results).toEqual([
      { input: "+49 151 12345678", status: "valid", wa_id: "4915112345678" },
      { input: "0151 1234567", status: "invalid", wa_id: null },
      { input: "12345", status: "invalid", wa_id: null },
      { input: "16502530000", status: "valid", wa_id: "16502530000" },
    ]);
  });

  it("validates the body with exact errors; more than 100 numbers is a 400", async () => {
    const cases: [unknown, unknown][] = [
      [{}, { contacts: ["This field is required."] }],
      [{ contacts: [] }, { contacts: ["This list may not be empty."] }],
      [
        { contacts: Array.from({ length: 101 }, (_, i) => `+4915100000${String(i).padStart(3, "0")}`) },
        { contacts: ["Ensure this field has no more than 100 elements."] },
      ],
      [{ contacts: ["+4915112345678", " "] }, { contacts: { "1": ["This field may not be blank."] } }],
      [{ contacts: ["+4915112345678"], blocking: "later" }, { blocking: ['"later" is not a valid choice.'] }],
      [{ contacts: ["+4915112345678"], force_check: "yes" }, { force_check: [expect.any(String)] }],
      [{ contacts: "+4915112345678" }, { contacts: [expect.any(String)] }],
    ];
    for (const [body, error] of cases) {
      const res = await callJson(`${ws.prefix}/contacts/verify/`, { token: agent.token, body });
      expect([res.status, res.body]).toEqual([400, error]);
    }
    const hundred = Array.from({ length: 100 }, (_, i) => `+4915100000${String(i).padStart(3, "0")}`);
    const res = await callJson(`${ws.prefix}/contacts/verify/`, { token: agent.token, body: { contacts: hundred } });
    expect(res.status).toBe(200);
    expect(res.body.contacts).toHaveLength(100);
  });
});

describe("POST /contacts/verify/ on an on-premises inbox", () => {
  let ws: TestWorkspace;
  let agent: TestUser;
  beforeAll(async () => {
    ws = await createWorkspace({ provider: "onprem", config: { api_base_url: BASE, auth_token: "static-token" } });
    agent = await createUser(ws, "user");
  });
  const verify = (body: unknown) => callJson(`${ws.prefix}/contacts/verify/`, { token: agent.token, body });

  it("proxies POST /v1/contacts with the exact request, and answers the next call from the cache", async () => {
    // Bodies are read inside the resolver: the request belongs to the Worker's I/O context, which ends with its answer.
    const bodies: unknown[] = [];
    const rec = recording(async ({ request }) => {
      bodies.push(await request.clone().json());
      return HttpResponse.json({
        contacts: [
          { input: "+1 631 555 1001", status: "processing", wa_id: "16315551001" },
          { input: "16315551000", status: "valid", wa_id: "16315551000" },
          { input: "6315551002", status: "invalid" },
        ],
        meta: { api_status: "stable", version: "2.53.1" },
      });
    });
    upstream.use(http.post(`${BASE}/v1/contacts`, rec.handler));
    const contacts = ["16315551000", "+1 631 555 1001", "6315551002", "+163155588"];

    const first = await verify({ blocking: "wait", contacts });

    expect(first).toMatchObject({ status: 200 });
    expect(first.body).toEqual({
      contacts: [
        { input: "16315551000", status: "valid", wa_id: "16315551000" },
        { input: "+1 631 555 1001", status: "processing", wa_id: "16315551001" },
        { input: "6315551002", status: "invalid" },
        // Left out of WhatsApp's answer: no answer is not a valid one.
        { input: "+163155588", status: "failed" },
      ],
    });
    expect(rec.requests).toHaveLength(1);
    expect(rec.requests[0]?.url).toBe(`${BASE}/v1/contacts`);
    expect(rec.requests[0]?.method).toBe("POST");
    expect(headersOf(rec.requests[0])).toEqual({ authorization: "Bearer static-token", "content-type": "application/json" });
    expect(bodies[0]).toEqual({ blocking: "wait", contacts, force_check: false });

    // Valid and invalid come from the cache; processing and failed are asked again.
    const second = await verify({ contacts });
    expect(second.body.contacts.slice(0, 3)).toEqual(first.body.contacts.slice(0, 3));
    expect(bodies[1]).toEqual({ blocking: "no_wait", contacts: ["+1 631 555 1001", "+163155588"], force_check: false });

    // force_check skips the cache, and WhatsApp is told so too.
    await verify({ contacts: ["16315551000"], force_check: true });
    expect(bodies[2]).toEqual({ blocking: "no_wait", contacts: ["16315551000"], force_check: true });

    // After 7 days an answer is stale.
    await env.DB.prepare("UPDATE number_checks SET checked_at = checked_at - 8 * 86400 WHERE inbox_id = ? AND input = ?")
      .bind(ws.inboxId, "6315551002")
      .run();
    await verify({ contacts: ["6315551002", "16315551000"] });
    expect(bodies[3]).toEqual({ blocking: "no_wait", contacts: ["6315551002"], force_check: false });
    expect(rec.requests).toHaveLength(4);
    expect(bodies).toHaveLength(4);
  });

  it("answers 502 with WhatsApp's error when the check fails", async () => {
    const error = { errors: [{ code: 1005, title: "Access denied" }] };
    upstream.use(http.post(`${BASE}/v1/contacts`, () => HttpResponse.json(error, { status: 403 })));
    const res = await verify({ contacts: ["+4915112345678"], force_check: true });
    expect([res.status, res.body]).toEqual([502, { detail: "The WhatsApp provider could not check the contacts.", waba_response: error }]);
  });
});
