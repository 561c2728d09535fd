import { HttpResponse, http } from "msw";
import { describe, expect, it, vi } from "vitest";
import { callJson } from "../helpers/api";
import { createUser, createWorkspace, type TestWorkspace } from "../helpers/factories";
import { upstream } from "../helpers/upstream";
import { APP_SECRET, newWaId, postWebhook, VERIFY_TOKEN } from "../helpers/whatsapp";
import { headersOf, recording, seeing } from "../providers/record";

const GRAPH = "https://graph.stub.test/v21.0";
const WABA = "102290129340398";
const body = (name: string, extra: Record<string, unknown> = {}) => ({
  name,
  category: "UTILITY",
  language: "en_US",
  components: [{ type: "BODY", text: "Your order {{1}} has shipped.", example: { body_text: [["#1234"]] } }],
  ...extra,
});

async function inbox(provider = "sandbox", config: Record<string, unknown> = {}) {
  const ws = await createWorkspace({ provider, config: { app_secret: APP_SECRET, verify_token: VERIFY_TOKEN, ...config } });
  return { ws, admin: await createUser(ws, "admin"), user: await createUser(ws, "user") };
}
const cloud = (extra: Record<string, unknown> = { waba_id: WABA }) =>
  inbox("cloud", { phone_number_id: "106540352242922", access_token: "EAAG-token", api_base_url: GRAPH, ...extra });
const templatesOf = (ws: TestWorkspace, token: string, query = "") => callJson(`${ws.prefix}/templates/${query}`, { token });

describe("templates on a sandbox inbox", () => {
  it("creates (approved at once), lists, refuses duplicates and edits, and deletes every language", async () => {
    const { ws, admin, user } = await inbox();
    expect((await templatesOf(ws, user.token)).body).toEqual({ count: 0, next: null, previous: null, results: [] });

    const created = await callJson(`${ws.prefix}/templates/`, { token: admin.token, body: body("order_shipped") });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      ...body("order_shipped"),
      namespace: `sandbox_${ws.inboxId.replaceAll("-", "")}`,
      rejected_reason: null,
      status: "approved",
    });
    // A legacy category of the seed goes in as UTILITY.
    const legacy = await callJson(`${ws.prefix}/templates/`, {
      token: admin.token,
      body: body("order_shipped", { language: "de", category: "SHIPPING_UPDATE" }),
    });
    expect(legacy.body).toMatchObject({ name: "order_shipped", language: "de", category: "UTILITY" });
    const again = await callJson(`${ws.prefix}/templates/`, { token: admin.token, body: body("order_shipped") });
    expect(again).toMatchObject({ status: 400, body: { name: ['A template named "order_shipped" in en_US already exists.'] } });

    const page = await templatesOf(ws, user.token, "?limit=1");
    expect(page.body.count).toBe(2);
    expect(page.body.results.map((t: { language: string }) => t.language)).toEqual(["de"]);
    expect(page.body.next).toContain("offset=1");

    const edit = await callJson(`${ws.prefix}/templates/order_shipped/`, { method: "PUT", token: admin.token, body: body("x") });
    expect(edit).toMatchObject({
      status: 405,
      body: { detail: "Editing templates is not supported: delete the template and create it again." },
    });
    expect(edit.headers.get("allow")).toBe("DELETE");

    expect((await callJson(`${ws.prefix}/templates/order_shipped/`, { method: "DELETE", token: user.token })).status).toBe(403);
    expect((await callJson(`${ws.prefix}/templates/order_shipped/`, { method: "DELETE", token: admin.token })).status).toBe(204);
    expect((await templatesOf(ws, user.token)).body.count).toBe(0);
    expect((await callJson(`${ws.prefix}/templates/order_shipped/`, { method: "DELETE", token: admin.token })).status).toBe(404);
  });

  it("validates name, category, language and components with exact errors; users may not create", async () => {
    const { ws, admin, user } = await inbox();
    const post = (b: unknown, token = admin.token) => callJson(`${ws.prefix}/templates/`, { token, body: b });
    expect((await post(body("ok"), user.token)).status).toBe(403);
    expect((await post(body("Order Shipped"))).body).toEqual({ name: ["Use 1 to 512 lowercase letters, digits and underscores."] });
    expect((await post(body("x", { language: "english" }))).body).toEqual({
      language: ["Use a WhatsApp language code, such as en_US or de."],
    });
    expect((await post(body("x", { category: "NEWSLETTER" }))).status).toBe(400);
    expect((await post(body("x", { components: [{ type: "FOOTER", text: "bye" }] }))).body).toEqual({
      components: ["A template needs a BODY component."],
    });
    expect(
      (
        await post(
          body("x", {
            components: [
              { type: "BODY", text: "a" },
              { type: "BODY", text: "b" },
            ],
          }),
        )
      ).body,
    ).toEqual({
      components: ["Each component type may appear once."],
    });
    expect(
      (
        await post(
          body("x", {
            components: [
              { type: "BODY", text: "a" },
              { type: "HEADER", format: "TEXT" },
            ],
          }),
        )
      ).body,
    ).toEqual({
      components: { 1: { text: ["A TEXT header needs `text`."] } },
    });
    expect((await post(body("x", { components: [{ type: "SIDEBAR" }] }))).body).toEqual({
      components: { 0: { type: ["Each component's `type` is HEADER, BODY, FOOTER or BUTTONS."] } },
    });
    expect((await post({ name: "x" })).body).toEqual({
      category: ["This field is required."],
      language: ["This field is required."],
      components: ["This field is required."],
    });
  });

  it("sends a template message only with an approved template of the number", async () => {
    const { ws, admin } = await inbox();
    const waId = newWaId();
    const send = () =>
      callJson(`${ws.prefix}/messages/`, {
        token: admin.token,
        body: { wa_id: waId, type: "template", template: { name: "welcome", language: { code: "de" } } },
      });
    // A sandbox without templates sends any; one with templates checks them.
    expect((await send()).status).toBe(201);
    await callJson(`${ws.prefix}/templates/`, { token: admin.token, body: body("other") });
    expect((await send()).body).toEqual({ template: ['No template "welcome" in de on this number.'] });
    await callJson(`${ws.prefix}/templates/`, { token: admin.token, body: body("welcome", { language: "de" }) });
    expect((await send()).status).toBe(201);
  });

  it("answers the refresh endpoints: nothing to refresh from", async () => {
    const { ws, user } = await inbox();
    const issue = await callJson(`${ws.prefix}/templates/refresh/issue/`, { method: "POST", token: user.token });
    expect(issue).toMatchObject({ status: 200, body: { currently_refreshing: false } });
    expect((await callJson(`${ws.prefix}/templates/refresh/status/`, { token: user.token })).body).toEqual({ currently_refreshing: false });
  });
});

const graphTemplate = (name: string, status = "APPROVED") => ({
  id: `tpl-${name}`,
  name,
  language: "en_US",
  category: "UTILITY",
  status,
  components: [{ type: "BODY", text: "Hello {{1}}" }],
});

describe("templates on a Cloud inbox", () => {
  it("lists through the Graph API once (every page and the namespace), then from the copy", async () => {
    const { ws, user } = await cloud();
    const pages = recording(({ request }) => {
      const after = new URL(request.url).searchParams.get("after");
      return after
        ? HttpResponse.json({ data: [graphTemplate("second", "REJECTED")], paging: { cursors: { before: "b" } } })
        : HttpResponse.json({ data: [graphTemplate("first")], paging: { cursors: { after: "c1" }, next: `${GRAPH}/next` } });
    });
    const namespace = recording(() => HttpResponse.json({ message_template_namespace: "ns_abc", id: WABA }));
    upstream.use(http.get(`${GRAPH}/${WABA}/message_templates`, pages.handler), http.get(`${GRAPH}/${WABA}`, namespace.handler));

    const first = await templatesOf(ws, user.token);
    expect(first.body.results).toEqual(
      [
        { ...graphTemplate("first"), id: undefined, status: "approved", namespace: "ns_abc", rejected_reason: null },
        { ...graphTemplate("second"), id: undefined, status: "rejected", namespace: "ns_abc", rejected_reason: null },
      ].map(({ id: _id, ...t }) => t),
    );
    expect(pages.requests.map((r) => new URL(r.url).search)).toEqual([
      "?fields=id,name,language,category,status,components,rejected_reason&limit=100",
      "?fields=id,name,language,category,status,components,rejected_reason&limit=100&after=c1",
    ]);
    expect(headersOf(pages.requests[0])).toEqual({ authorization: "Bearer EAAG-token" });
    expect(new URL(namespace.requests[0]!.url).search).toBe("?fields=message_template_namespace");

    // Fresh copy: no upstream call (an unexpected one fails the test).
    upstream.resetHandlers();
    expect((await templatesOf(ws, user.token)).body.count).toBe(2);
  });

  it("creates and deletes through the Graph API with the exact requests; a refusal is a 502 that caches nothing", async () => {
    const { ws, admin, user } = await cloud();
    upstream.use(
      http.get(`${GRAPH}/${WABA}/message_templates`, () => HttpResponse.json({ data: [] })),
      http.get(`${GRAPH}/${WABA}`, () => HttpResponse.json({ message_template_namespace: "ns_abc" })),
    );
    await templatesOf(ws, user.token);
    const create = seeing(() => HttpResponse.json({ id: "594425479261596", status: "PENDING", category: "UTILITY" }));
    upstream.use(http.post(`${GRAPH}/${WABA}/message_templates`, create.handler));
    const created = await callJson(`${ws.prefix}/templates/`, { token: admin.token, body: body("shipped", { category: "ALERT_UPDATE" }) });
    expect(created).toMatchObject({ status: 201, body: { name: "shipped", status: "pending", namespace: "ns_abc", category: "UTILITY" } });
    expect(create.requests.map((r) => r.json())).toEqual([body("shipped")]);
    expect(create.requests[0]?.headers).toMatchObject({ authorization: "Bearer EAAG-token", "content-type": "application/json" });

    upstream.use(
      http.post(`${GRAPH}/${WABA}/message_templates`, () =>
        HttpResponse.json({ error: { message: "Invalid parameter", code: 100 } }, { status: 400 }),
      ),
    );
    const refused = await callJson(`${ws.prefix}/templates/`, { token: admin.token, body: body("refused") });
    expect(refused).toMatchObject({
      status: 502,
      body: { detail: "The WhatsApp provider did not accept the template.", waba_response: { error: { message: "Invalid parameter" } } },
    });
    expect((await templatesOf(ws, user.token)).body.results.map((t: { name: string }) => t.name)).toEqual(["shipped"]);

    const remove = recording(() => HttpResponse.json({ success: true }));
    upstream.use(http.delete(`${GRAPH}/${WABA}/message_templates`, remove.handler));
    expect((await callJson(`${ws.prefix}/templates/shipped/`, { method: "DELETE", token: admin.token })).status).toBe(204);
    expect(new URL(remove.requests[0]!.url).search).toBe("?name=shipped");
    expect((await templatesOf(ws, user.token)).body.count).toBe(0);
  });

  it("answers 502 when the Graph API fails a write (5xx, unreadable, unreachable, timeout) and caches nothing", async () => {
    const { ws, admin, user } = await cloud();
    upstream.use(
      http.get(`${GRAPH}/${WABA}/message_templates`, () => HttpResponse.json({ data: [] })),
      http.get(`${GRAPH}/${WABA}`, () => HttpResponse.json({ message_template_namespace: "ns" })),
    );
    await templatesOf(ws, user.token);
    const create = () => callJson(`${ws.prefix}/templates/`, { token: admin.token, body: body("broken") });
    const url = `${GRAPH}/${WABA}/message_templates`;
    upstream.use(http.post(url, () => new HttpResponse("Service Unavailable", { status: 503 }), { once: true }));
    expect(await create()).toMatchObject({ status: 502, body: { waba_response: "Service Unavailable" } });
    upstream.use(http.post(url, () => new HttpResponse("<html>oops</html>", { status: 200 }), { once: true }));
    expect((await create()).body.waba_response.error.message).toMatch(/^Unexpected answer from graph\.stub\.test: /);
    upstream.use(http.post(url, () => HttpResponse.error(), { once: true }));
    expect((await create()).body.waba_response).toEqual({ error: { message: "graph.stub.test is unreachable." } });
    vi.spyOn(AbortSignal, "timeout").mockImplementation(() =>
      AbortSignal.abort(new DOMException("The operation timed out.", "TimeoutError")),
    );
    try {
      expect((await create()).body).toEqual({
        detail: "The WhatsApp provider did not accept the template.",
        waba_response: { error: { message: "graph.stub.test did not answer within 10s." } },
      });
    } finally {
      vi.restoreAllMocks();
    }
    expect((await templatesOf(ws, user.token)).body.count).toBe(0);
  });

  it("follows message_template_status_update webhooks, and refuses to send a template that is not approved", async () => {
    const { ws, admin, user } = await cloud();
    upstream.use(
      http.get(`${GRAPH}/${WABA}/message_templates`, () => HttpResponse.json({ data: [graphTemplate("promo", "PENDING")] })),
      http.get(`${GRAPH}/${WABA}`, () => HttpResponse.json({ message_template_namespace: "ns_abc" })),
    );
    await templatesOf(ws, user.token);
    const waId = newWaId();
    const send = () =>
      callJson(`${ws.prefix}/messages/`, {
        token: admin.token,
        body: { wa_id: waId, type: "template", template: { name: "promo", language: { code: "en_US" } } },
      });
    expect((await send()).body).toEqual({ template: ['Template "promo" in en_US is pending, not approved.'] });
    const update = {
      object: "whatsapp_business_account",
      entry: [
        {
          id: WABA,
          changes: [
            {
              field: "message_template_status_update",
              value: {
                event: "REJECTED",
                message_template_id: 1,
                message_template_name: "promo",
                message_template_language: "en_US",
                reason: "INCORRECT_CATEGORY",
              },
            },
          ],
        },
      ],
    };
    expect((await postWebhook(ws.inboxId, update)).status).toBe(200);
    expect((await templatesOf(ws, user.token)).body.results[0]).toMatchObject({
      status: "rejected",
      rejected_reason: "INCORRECT_CATEGORY",
    });
  });

  it("answers a 2xx list when the Graph API fails, and retries later rather than on every list", async () => {
    const { ws, user } = await cloud();
    const failing = recording(() => HttpResponse.json({ error: { message: "down" } }, { status: 500 }));
    upstream.use(http.get(`${GRAPH}/${WABA}/message_templates`, failing.handler));
    expect((await templatesOf(ws, user.token)).body).toEqual({ count: 0, next: null, previous: null, results: [] });
    expect((await templatesOf(ws, user.token)).status).toBe(200);
    expect(failing.requests).toHaveLength(1);
    expect((await callJson(`${ws.prefix}/templates/refresh/status/`, { token: user.token })).body).toEqual({ currently_refreshing: false });
  });

  it("without waba_id lists an empty page and answers 501 to writes", async () => {
    const { ws, admin, user } = await cloud({});
    expect((await templatesOf(ws, user.token)).body.count).toBe(0);
    const create = await callJson(`${ws.prefix}/templates/`, { token: admin.token, body: body("x") });
    expect(create).toMatchObject({
      status: 501,
      body: { detail: "This Cloud inbox names no WhatsApp Business Account: set `waba_id` in its config to manage templates." },
    });
  });

  it("refreshes on request, in the background", async () => {
    const { ws, user } = await cloud();
    const pages = recording(() => HttpResponse.json({ data: [graphTemplate("fresh")] }));
    upstream.use(
      http.get(`${GRAPH}/${WABA}/message_templates`, pages.handler),
      http.get(`${GRAPH}/${WABA}`, () => HttpResponse.json({ message_template_namespace: "ns" })),
    );
    const issue = await callJson(`${ws.prefix}/templates/refresh/issue/`, { method: "POST", token: user.token });
    expect(issue).toMatchObject({ status: 202, body: { currently_refreshing: true } });
    await expect.poll(async () => (await templatesOf(ws, user.token)).body.count).toBe(1);
    expect(pages.requests).toHaveLength(1);
  });
});

describe("templates on 360dialog and on-premises inboxes", () => {
  const D360 = "https://waba.stub.test";
  it("360dialog: lists, creates and deletes through /v1/configs/templates", async () => {
    const { ws, admin, user } = await inbox("360dialog", { api_key: "d360-key", api_base_url: D360 });
    const list = recording(() =>
      HttpResponse.json({ count: 1, total: 1, waba_templates: [{ ...graphTemplate("hello"), namespace: "ns_360" }] }),
    );
    upstream.use(http.get(`${D360}/v1/configs/templates`, list.handler));
    expect((await templatesOf(ws, user.token)).body.results).toEqual([
      {
        name: "hello",
        language: "en_US",
        category: "UTILITY",
        status: "approved",
        components: [{ type: "BODY", text: "Hello {{1}}" }],
        namespace: "ns_360",
        rejected_reason: null,
      },
    ]);
    expect(headersOf(list.requests[0])).toEqual({ "d360-api-key": "d360-key" });
    expect(new URL(list.requests[0]!.url).search).toBe("?limit=1000&offset=0");

    const create = seeing(() => HttpResponse.json({ ...graphTemplate("bye", "PENDING"), namespace: "ns_360" }));
    upstream.use(http.post(`${D360}/v1/configs/templates`, create.handler));
    expect((await callJson(`${ws.prefix}/templates/`, { token: admin.token, body: body("bye") })).body).toMatchObject({
      name: "bye",
      status: "pending",
    });
    expect(create.requests.map((r) => r.json())).toEqual([body("bye")]);
    const remove = recording(() => HttpResponse.json({ meta: { success: true } }));
    upstream.use(http.delete(`${D360}/v1/configs/templates/bye`, remove.handler));
    expect((await callJson(`${ws.prefix}/templates/bye/`, { method: "DELETE", token: admin.token })).status).toBe(204);
    expect(remove.requests).toHaveLength(1);
  });

  it("on-premises: an empty page, and 501 naming WhatsApp Manager for writes", async () => {
    const { ws, admin, user } = await inbox("onprem", { api_base_url: "https://onprem.stub.test", auth_token: "t" });
    expect((await templatesOf(ws, user.token)).status).toBe(200);
    const detail = "The on-premises API has no template API: manage this number's templates in WhatsApp Manager.";
    expect(await callJson(`${ws.prefix}/templates/`, { token: admin.token, body: body("x") })).toMatchObject({
      status: 501,
      body: { detail },
    });
    expect(await callJson(`${ws.prefix}/templates/x/`, { method: "DELETE", token: admin.token })).toMatchObject({
      status: 501,
      body: { detail },
    });
  });
});
