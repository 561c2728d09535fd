import { env } from "cloudflare:workers";
import { HttpResponse, http } from "msw";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createDb } from "../../src/db/client";
import { markRefreshing } from "../../src/db/queries/upstream-syncs";
import { callJson } from "../helpers/api";
import { upstream } from "../helpers/upstream";
import { seeing } from "../providers/record";
import { D360, D360_KEY, FIELDS, GRAPH, ONPREM, ONPREM_TOKEN, PHONE_ID, stored, TOKEN, world } from "./support";

const PROFILE = {
  address: "Hauptstraße 1, 10115 Berlin",
  description: "Fresh flowers, delivered.",
  email: "hello@example.com",
  vertical: "Shopping and Retail",
  websites: ["https://example.com", "http://shop.example.com/de"],
};
const EMPTY = { address: "", description: "", email: "", vertical: "", websites: [] };
const DENIED = { detail: "You do not have permission to perform this action." };

afterEach(() => vi.restoreAllMocks());

describe("business profile, sandbox", () => {
  it("starts empty, is set by PUT, changed field by field by PATCH, and kept", async () => {
    const { ws, admin, agent, path } = await world();
    expect(await callJson(path("business/profile/"), { token: agent.token })).toMatchObject({ status: 200, body: EMPTY });

    const put = await callJson(path("business/profile/"), { method: "PUT", token: admin.token, body: PROFILE });
    expect(put).toMatchObject({ status: 200, body: PROFILE });
    const patched = await callJson(path("business/profile/"), {
      method: "PATCH",
      token: admin.token,
      body: { vertical: "Restaurant", websites: [] },
    });
    expect(patched.body).toEqual({ ...PROFILE, vertical: "Restaurant", websites: [] });
    // PUT without websites keeps them; strings are trimmed.
    await callJson(path("business/profile/"), { method: "PATCH", token: admin.token, body: { websites: ["https://a.example"] } });
    const replaced = await callJson(path("business/profile/"), {
      method: "PUT",
      token: admin.token,
      body: { address: " Am Markt 2 ", description: "", email: "", vertical: "Other" },
    });
    const expected = { address: "Am Markt 2", description: "", email: "", vertical: "Other", websites: ["https://a.example"] };
    expect(replaced.body).toEqual(expected);
    expect((await callJson(path("business/profile/"), { token: agent.token })).body).toEqual(expected);
    expect((await stored(ws.inboxId))?.profile).toEqual(expected);
  });

  it("keeps the about text", async () => {
    const { admin, agent, path } = await world();
    expect((await callJson(path("profile/about/"), { token: agent.token })).body).toEqual({ text: "" });
    const put = await callJson(path("profile/about/"), { method: "PUT", token: admin.token, body: { text: "  Open 9–18  " } });
    expect(put).toMatchObject({ status: 200, body: { text: "Open 9–18" } });
    const long = "x".repeat(139);
    expect((await callJson(path("profile/about/"), { method: "PATCH", token: admin.token, body: { text: long } })).status).toBe(200);
    expect((await callJson(path("profile/about/"), { token: agent.token })).body).toEqual({ text: long });
  });

  it("validates the profile with DRF's error bodies", async () => {
    const { admin, path } = await world();
    const cases: [string, unknown, unknown][] = [
      [
        "PUT",
        {},
        {
          address: ["This field is required."],
          description: ["This field is required."],
          email: ["This field is required."],
          vertical: ["This field is required."],
        },
      ],
      ["PATCH", { email: "not-an-address" }, { email: ["Enter a valid email address."] }],
      ["PATCH", { email: `${"a".repeat(117)}@example.com` }, { email: ["Ensure this field has no more than 128 characters."] }],
      ["PATCH", { address: "x".repeat(257) }, { address: ["Ensure this field has no more than 256 characters."] }],
      ["PATCH", { description: "x".repeat(513) }, { description: ["Ensure this field has no more than 512 characters."] }],
      ["PATCH", { vertical: "Bakery" }, { vertical: ['"Bakery" is not a valid choice.'] }],
      ["PATCH", { vertical: "RETAIL" }, { vertical: ['"RETAIL" is not a valid choice.'] }],
      ["PATCH", { vertical: null }, { vertical: ["This field may not be null."] }],
      [
        "PATCH",
        { websites: ["https://a.example", "https://b.example", "https://c.example"] },
        { websites: ["Ensure this field has no more than 2 elements."] },
      ],
      ["PATCH", { websites: ["https://ok.example", "ftp://files.example"] }, { websites: { "1": ["Enter a valid URL."] } }],
      [
        "PATCH",
        { websites: [`https://${"a".repeat(250)}.example`] },
        { websites: { "0": ["Ensure this field has no more than 256 characters."] } },
      ],
      ["PATCH", { websites: ["example.com"] }, { websites: { "0": ["Enter a valid URL."] } }],
    ];
    for (const [method, body, error] of cases) {
      const res = await callJson(path("business/profile/"), { method, token: admin.token, body });
      expect([method, body, res.status, res.body]).toEqual([method, body, 400, error]);
    }
    const edge = { email: `${"a".repeat(116)}@example.com`, address: "x".repeat(256), description: "x".repeat(512) };
    expect((await callJson(path("business/profile/"), { method: "PATCH", token: admin.token, body: edge })).status).toBe(200);
  });

  it("validates the about text", async () => {
    const { admin, path } = await world();
    const cases: [unknown, unknown][] = [
      [{}, { text: ["This field is required."] }],
      [{ text: "   " }, { text: ["This field may not be blank."] }],
      [{ text: "x".repeat(140) }, { text: ["Ensure this field has no more than 139 characters."] }],
    ];
    for (const [body, error] of cases) {
      const res = await callJson(path("profile/about/"), { method: "PATCH", token: admin.token, body });
      expect([res.status, res.body]).toEqual([400, error]);
    }
  });

  it("lets every user read and only admins write", async () => {
    const { agent, path } = await world();
    for (const [suffix, method, body] of [
      ["business/profile/", "PUT", PROFILE],
      ["business/profile/", "PATCH", { address: "x" }],
      ["profile/about/", "PUT", { text: "x" }],
      ["profile/about/", "PATCH", { text: "x" }],
    ] as const) {
      expect(await callJson(path(suffix), { method, token: agent.token, body })).toMatchObject({ status: 403, body: DENIED });
    }
    expect((await callJson(path("refresh/status/"), { token: agent.token })).body).toEqual({ currently_refreshing: false });
  });
});

describe("business profile, cloud", () => {
  const profileUrl = `${GRAPH}/${PHONE_ID}/whatsapp_business_profile`;
  const answer = {
    data: [
      {
        about: "Succulent specialists!",
        address: PROFILE.address,
        description: PROFILE.description,
        email: PROFILE.email,
        profile_picture_url: "https://pps.whatsapp.net/v/t61.2/1.jpg?oh=x",
        websites: PROFILE.websites,
        vertical: "RETAIL",
        messaging_product: "whatsapp",
      },
    ],
  };

  it("reads the profile with the fields and the bearer token, maps the vertical, and is refreshing meanwhile", async () => {
    const { ws, agent, path } = await world("cloud");
    let during: unknown;
    const rec = seeing(async () => {
      during = (await callJson(path("refresh/status/"), { token: agent.token })).body;
      return HttpResponse.json(answer);
    });
    upstream.use(http.get(profileUrl, rec.handler));

    const res = await callJson(path("business/profile/"), { token: agent.token });

    expect(res).toMatchObject({ status: 200, body: PROFILE });
    expect(rec.requests).toHaveLength(1);
    expect(rec.requests[0]?.url).toBe(`${profileUrl}?fields=${FIELDS}`);
    expect(rec.requests[0]?.headers).toEqual({ authorization: `Bearer ${TOKEN}` });
    expect(during).toEqual({ currently_refreshing: true });
    expect((await callJson(path("refresh/status/"), { token: agent.token })).body).toEqual({ currently_refreshing: false });
    expect((await stored(ws.inboxId))?.profile).toEqual(PROFILE);
  });

  it("maps unset and unknown verticals, and fills missing fields", async () => {
    const { agent, path } = await world("cloud");
    const verticals = ["UNDEFINED", "NOT_A_BIZ", "PROF_SERVICES"];
    upstream.use(http.get(profileUrl, () => HttpResponse.json({ data: [{ vertical: verticals.shift(), messaging_product: "whatsapp" }] })));
    const read = async () => (await callJson(path("business/profile/"), { token: agent.token })).body;
    expect(await read()).toEqual(EMPTY);
    expect(await read()).toEqual({ ...EMPTY, vertical: "Other" });
    expect(await read()).toEqual({ ...EMPTY, vertical: "Professional Services" });
  });

  it("PATCH posts only the changed fields with messaging_product and Cloud's vertical code", async () => {
    const { ws, admin, path } = await world("cloud");
    const read = seeing(() => HttpResponse.json(answer));
    const write = seeing(() => HttpResponse.json({ success: true }));
    upstream.use(http.get(profileUrl, read.handler), http.post(profileUrl, write.handler));

    const res = await callJson(path("business/profile/"), {
      method: "PATCH",
      token: admin.token,
      body: { vertical: "Restaurant", websites: ["https://menu.example"] },
    });

    expect(res).toMatchObject({ status: 200, body: { ...PROFILE, vertical: "Restaurant", websites: ["https://menu.example"] } });
    expect(write.requests).toHaveLength(1);
    expect(write.requests[0]?.headers).toEqual({ authorization: `Bearer ${TOKEN}`, "content-type": "application/json" });
    expect(write.requests[0]?.json()).toEqual({
      messaging_product: "whatsapp",
      vertical: "RESTAURANT",
      websites: ["https://menu.example"],
    });
    expect((await stored(ws.inboxId))?.profile).toEqual(res.body);
  });

  it("reads and sets the about text through the same edge", async () => {
    const { ws, admin, agent, path } = await world("cloud");
    const write = seeing(() => HttpResponse.json({ success: true }));
    upstream.use(
      http.get(profileUrl, () => HttpResponse.json(answer)),
      http.post(profileUrl, write.handler),
    );

    expect((await callJson(path("profile/about/"), { token: agent.token })).body).toEqual({ text: "Succulent specialists!" });
    const res = await callJson(path("profile/about/"), { method: "PUT", token: admin.token, body: { text: "Open late" } });

    expect(res).toMatchObject({ status: 200, body: { text: "Open late" } });
    expect(write.requests[0]?.json()).toEqual({ messaging_product: "whatsapp", about: "Open late" });
    expect((await stored(ws.inboxId))?.about).toBe("Open late");
  });

  it("answers 502 with the provider's message when a write is refused, and changes nothing", async () => {
    const { ws, admin, path } = await world("cloud");
    const refusal = { error: { message: "(#100) Invalid parameter", type: "OAuthException", code: 100 } };
    upstream.use(
      http.get(profileUrl, () => HttpResponse.json(answer)),
      http.post(profileUrl, () => HttpResponse.json(refusal, { status: 400 })),
    );

    const res = await callJson(path("business/profile/"), { method: "PATCH", token: admin.token, body: { address: "Elsewhere 3" } });

    expect(res).toMatchObject({
      status: 502,
      body: { detail: "The WhatsApp provider did not accept the change: (#100) Invalid parameter", waba_response: refusal },
    });
    expect((await stored(ws.inboxId))?.profile).toEqual(PROFILE); // as read before the write, not as asked
    const about = await callJson(path("profile/about/"), { method: "PUT", token: admin.token, body: { text: "Never stored" } });
    expect(about.status).toBe(502);
    expect((await stored(ws.inboxId))?.about).toBeNull();
  });

  it("answers 502 for a 5xx, an unreadable answer, no connection and a timeout, and records why", async () => {
    const { ws, agent, path } = await world("cloud");
    const read = () => callJson(path("business/profile/"), { token: agent.token });

    upstream.use(http.get(profileUrl, () => new HttpResponse("Service Unavailable", { status: 503 }), { once: true }));
    expect(await read()).toMatchObject({
      status: 502,
      body: { detail: "The WhatsApp provider could not be read: HTTP 503: Service Unavailable", waba_response: "Service Unavailable" },
    });

    upstream.use(http.get(profileUrl, () => new HttpResponse("<html>oops</html>", { status: 200 }), { once: true }));
    const garbage = await read();
    expect(garbage.status).toBe(502);
    expect(garbage.body.detail).toMatch(/^The WhatsApp provider could not be read: Unexpected answer from graph\.facebook\.com: /);

    upstream.use(http.get(profileUrl, () => HttpResponse.error(), { once: true }));
    expect((await read()).body.detail).toBe("The WhatsApp provider could not be read: graph.facebook.com is unreachable.");

    upstream.use(http.get(profileUrl, () => HttpResponse.json(answer)));
    vi.spyOn(AbortSignal, "timeout").mockImplementation(() =>
      AbortSignal.abort(new DOMException("The operation timed out.", "TimeoutError")),
    );
    expect((await read()).body.detail).toBe("The WhatsApp provider could not be read: graph.facebook.com did not answer within 10s.");

    expect((await callJson(path("refresh/status/"), { token: agent.token })).body).toEqual({ currently_refreshing: false });
    expect(await stored(ws.inboxId)).toBeUndefined();
  });

  it("reports a refresh under way for at most 5 minutes", async () => {
    const { ws, agent, path } = await world("cloud");
    const db = createDb(env);
    const now = Math.floor(Date.now() / 1000);
    const status = async () => (await callJson(path("refresh/status/"), { token: agent.token })).body;
    await markRefreshing(db, ws.inboxId, "business_profile", now - 10);
    expect(await status()).toEqual({ currently_refreshing: true });
    await markRefreshing(db, ws.inboxId, "business_profile", now - 301);
    expect(await status()).toEqual({ currently_refreshing: false });
  });
});

describe("business profile, 360dialog", () => {
  const profileUrl = `${D360}/whatsapp_business_profile`;

  it("reads and writes the Cloud protocol at 360dialog's base with the D360-API-KEY", async () => {
    const { admin, agent, path } = await world("360dialog");
    const read = seeing(() =>
      HttpResponse.json({ data: [{ about: "Hi", address: "A", description: "D", email: "e@example.com", vertical: "EDU", websites: [] }] }),
    );
    const write = seeing(() => HttpResponse.json({ success: true }));
    upstream.use(http.get(profileUrl, read.handler), http.post(profileUrl, write.handler));

    const profile = await callJson(path("business/profile/"), { token: agent.token });
    expect(profile.body).toEqual({ address: "A", description: "D", email: "e@example.com", vertical: "Education", websites: [] });
    expect(read.requests[0]?.url).toBe(`${profileUrl}?fields=${FIELDS}`);
    expect(read.requests[0]?.headers).toEqual({ "d360-api-key": D360_KEY });

    const about = await callJson(path("profile/about/"), { method: "PATCH", token: admin.token, body: { text: "Hallo" } });
    expect(about).toMatchObject({ status: 200, body: { text: "Hallo" } });
    expect(write.requests[0]?.headers).toEqual({ "d360-api-key": D360_KEY, "content-type": "application/json" });
    expect(write.requests[0]?.json()).toEqual({ messaging_product: "whatsapp", about: "Hallo" });
  });
});

describe("business profile, on-premises", () => {
  const profileUrl = `${ONPREM}/v1/settings/business/profile`;
  const aboutUrl = `${ONPREM}/v1/settings/profile/about`;
  const onpremProfile = { ...PROFILE, vertical: "Shopping and Retail" };
  const meta = { meta: { api_status: "stable", version: "2.53.1" } };

  it("reads the settings envelope and posts the whole profile with the change", async () => {
    const { ws, admin, path } = await world("onprem");
    const read = seeing(() => HttpResponse.json({ settings: { business: { profile: onpremProfile } }, ...meta }));
    const write = seeing(() => HttpResponse.json(meta));
    upstream.use(http.get(profileUrl, read.handler), http.post(profileUrl, write.handler));

    const res = await callJson(path("business/profile/"), { method: "PATCH", token: admin.token, body: { email: "new@example.com" } });

    expect(res).toMatchObject({ status: 200, body: { ...PROFILE, email: "new@example.com" } });
    expect(read.requests[0]?.headers).toEqual({ authorization: `Bearer ${ONPREM_TOKEN}` });
    expect(write.requests[0]?.headers).toEqual({ authorization: `Bearer ${ONPREM_TOKEN}`, "content-type": "application/json" });
    expect(write.requests[0]?.json()).toEqual({ ...onpremProfile, email: "new@example.com" });
    expect((await stored(ws.inboxId))?.profile).toEqual(res.body);
  });

  it("leaves an unset vertical out of the POST", async () => {
    const { admin, path } = await world("onprem");
    const write = seeing(() => HttpResponse.json({}));
    upstream.use(
      http.get(profileUrl, () => HttpResponse.json({ settings: { business: { profile: { address: "A" } } } })),
      http.post(profileUrl, write.handler),
    );

    await callJson(path("business/profile/"), { method: "PATCH", token: admin.token, body: { description: "D" } });

    expect(write.requests[0]?.json()).toEqual({ address: "A", description: "D", email: "", websites: [] });
  });

  it("reads and patches the about text", async () => {
    const { admin, agent, path } = await world("onprem");
    const write = seeing(() => HttpResponse.json(meta));
    upstream.use(
      http.get(aboutUrl, () => HttpResponse.json({ settings: { profile: { about: { text: "Hey there!" } } }, ...meta })),
      http.patch(aboutUrl, write.handler),
    );

    expect((await callJson(path("profile/about/"), { token: agent.token })).body).toEqual({ text: "Hey there!" });
    expect((await callJson(path("profile/about/"), { method: "PUT", token: admin.token, body: { text: "Bis bald" } })).status).toBe(200);
    expect(write.requests[0]?.headers).toEqual({ authorization: `Bearer ${ONPREM_TOKEN}`, "content-type": "application/json" });
    expect(write.requests[0]?.json()).toEqual({ text: "Bis bald" });
  });

  it("relays on-prem's error details as a 502", async () => {
    const { admin, path } = await world("onprem");
    const refusal = { errors: [{ code: 1006, title: "Resource not found", details: "Business profile settings are unavailable" }] };
    upstream.use(http.patch(aboutUrl, () => HttpResponse.json(refusal, { status: 404 })));

    const res = await callJson(path("profile/about/"), { method: "PATCH", token: admin.token, body: { text: "x" } });

    expect(res).toMatchObject({
      status: 502,
      body: {
        detail: "The WhatsApp provider did not accept the change: Business profile settings are unavailable",
        waba_response: refusal,
      },
    });
  });
});
