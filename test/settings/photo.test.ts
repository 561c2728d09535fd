import { env } from "cloudflare:workers";
import { HttpResponse, http } from "msw";
import { describe, expect, it } from "vitest";
import { call, callJson } from "../helpers/api";
import { upstream } from "../helpers/upstream";
import { ascii, base64, bytesOf, JPEG, PNG, readAll, WEBP } from "../media/support";
import { seeing } from "../providers/record";
import { APP_ID, D360, D360_KEY, FIELDS, GRAPH, ONPREM, ONPREM_TOKEN, PHONE_ID, stored, TOKEN, type World, world } from "./support";

const png = bytesOf(1200, PNG);
const jpeg = bytesOf(900, JPEG);
const NOT_AN_IMAGE = { file_encoded: ["Upload a valid image: a profile photo is a JPEG or PNG file."] };

const post = (w: World, body: unknown, token = w.admin.token) => callJson(w.path("profile/photo/"), { body, token });
const get = (w: World, token = w.agent.token) => call(w.path("profile/photo/"), { token });

async function expectPhoto(w: World, bytes: Uint8Array, type: string) {
  const res = await get(w);
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toBe(type);
  expect(res.headers.get("content-length")).toBe(String(bytes.byteLength));
  expect(res.headers.get("x-content-type-options")).toBe("nosniff");
  expect(await readAll(res)).toEqual(bytes);
}

describe("profile photo, sandbox", () => {
  it("is 404 until set, stored in R2 under the inbox, replaced, and removed", async () => {
    const w = await world();
    expect((await get(w)).status).toBe(404);
    expect((await callJson(w.path("profile/photo/"), { method: "DELETE", token: w.admin.token })).status).toBe(404);

    expect(await post(w, { file_encoded: base64(png) })).toMatchObject({ status: 200, body: {} });
    await expectPhoto(w, png, "image/png");
    const object = await env.MEDIA.get(`profile-photos/${w.ws.inboxId}`);
    expect(object?.httpMetadata?.contentType).toBe("image/png");
    expect(await stored(w.ws.inboxId)).toMatchObject({ photoKey: `profile-photos/${w.ws.inboxId}`, photoType: "image/png" });

    await post(w, { file_encoded: `data:image/jpeg;base64,${base64(jpeg)}` });
    await expectPhoto(w, jpeg, "image/jpeg");

    expect((await call(w.path("profile/photo/"), { method: "DELETE", token: w.admin.token })).status).toBe(204);
    expect((await get(w)).status).toBe(404);
    expect(await env.MEDIA.get(`profile-photos/${w.ws.inboxId}`)).toBeNull();
  });

  it("takes a photo near WhatsApp's 5 MB as base64, beyond the API's general body limit", async () => {
    const w = await world();
    const big = bytesOf(4 * 1024 * 1024, PNG);
    expect((await post(w, { file_encoded: base64(big) })).status).toBe(200);
    await expectPhoto(w, big, "image/png");
  });

  it("takes every encoding POST /media/ takes: multipart, form, and the raw image", async () => {
    const w = await world();
    const form = new FormData();
    form.append("file_encoded", new File([jpeg], "me.jpg", { type: "image/jpeg" }));
    expect((await callJson(w.path("profile/photo/"), { method: "POST", raw: form, token: w.admin.token })).status).toBe(200);
    await expectPhoto(w, jpeg, "image/jpeg");

    const urlencoded = new URLSearchParams({ file_encoded: base64(png) });
    expect((await callJson(w.path("profile/photo/"), { method: "POST", raw: urlencoded, token: w.admin.token })).status).toBe(200);
    await expectPhoto(w, png, "image/png");

    const raw = await callJson(w.path("profile/photo/"), {
      method: "POST",
      raw: jpeg,
      token: w.admin.token,
      headers: { "content-type": "image/jpeg" },
    });
    expect(raw.status).toBe(200);
    await expectPhoto(w, jpeg, "image/jpeg");
  });

  it("validates the image by its bytes", async () => {
    const w = await world();
    const pdfAsPng = new FormData();
    pdfAsPng.append("file_encoded", new File([bytesOf(100, ascii("%PDF-1.7"))], "x.png", { type: "image/png" }));
    const cases: [unknown, unknown][] = [
      [{}, { file_encoded: ["This field is required."] }],
      [{ file_encoded: "***" }, { file_encoded: ["The submitted data is not valid base64."] }],
      [{ file_encoded: "" }, { file_encoded: ["The submitted file is empty."] }],
      [{ file_encoded: base64(bytesOf(100, WEBP)) }, NOT_AN_IMAGE],
      [{ file_encoded: `data:image/png;base64,${base64(bytesOf(100, ascii("GIF89a")))}` }, NOT_AN_IMAGE],
    ];
    for (const [body, error] of cases) {
      const res = await post(w, body);
      expect([res.status, res.body]).toEqual([400, error]);
    }
    const multipart = await callJson(w.path("profile/photo/"), { method: "POST", raw: pdfAsPng, token: w.admin.token });
    expect([multipart.status, multipart.body]).toEqual([400, NOT_AN_IMAGE]);
    const rawText = await callJson(w.path("profile/photo/"), {
      method: "POST",
      raw: "hello",
      token: w.admin.token,
      headers: { "content-type": "image/png" },
    });
    expect([rawText.status, rawText.body]).toEqual([400, NOT_AN_IMAGE]);
    expect((await get(w)).status).toBe(404);
  });

  it("is read by any user and written by admins only", async () => {
    const w = await world();
    await post(w, { file_encoded: base64(png) });
    const denied = { detail: "You do not have permission to perform this action." };
    expect(await post(w, { file_encoded: base64(jpeg) }, w.agent.token)).toMatchObject({ status: 403, body: denied });
    expect(await callJson(w.path("profile/photo/"), { method: "DELETE", token: w.agent.token })).toMatchObject({
      status: 403,
      body: denied,
    });
    await expectPhoto(w, png, "image/png");
  });
});

describe("profile photo, cloud", () => {
  const profileUrl = `${GRAPH}/${PHONE_ID}/whatsapp_business_profile`;
  const pictureUrl = "https://pps.whatsapp.net/v/t61.24694-24/123_n.jpg?ccb=11-4&oh=01_Q5&oe=6800";

  it("is fetched from profile_picture_url without our credentials", async () => {
    const w = await world("cloud");
    const info = seeing(() => HttpResponse.json({ data: [{ profile_picture_url: pictureUrl, messaging_product: "whatsapp" }] }));
    const file = seeing(() => new HttpResponse(jpeg, { headers: { "content-type": "image/jpeg" } }));
    upstream.use(http.get(profileUrl, info.handler), http.get("https://pps.whatsapp.net/v/t61.24694-24/123_n.jpg", file.handler));

    await expectPhoto(w, jpeg, "image/jpeg");

    expect(info.requests[0]?.url).toBe(`${profileUrl}?fields=${FIELDS}`);
    expect(info.requests[0]?.headers).toEqual({ authorization: `Bearer ${TOKEN}` });
    expect(file.requests[0]?.url).toBe(pictureUrl);
    expect(file.requests[0]?.headers).toEqual({});
  });

  it("is 404 when the profile has no picture", async () => {
    const w = await world("cloud");
    upstream.use(http.get(profileUrl, () => HttpResponse.json({ data: [{ messaging_product: "whatsapp" }] })));
    expect((await get(w)).status).toBe(404);
  });

  it("is set through the Resumable Upload API, then the profile's picture handle", async () => {
    const w = await world("cloud");
    const session = seeing(() => HttpResponse.json({ id: "upload:MTphdHRhY2htZW50OjE=?sig=ARZqkGCA_uQM" }));
    const bytes = seeing(() => HttpResponse.json({ h: "2:c2FtcGxl:image/png:GKAj0gAU:e:1472075513:ARZ_3ybz" }));
    const profile = seeing(() => HttpResponse.json({ success: true }));
    upstream.use(
      http.post(`${GRAPH}/${APP_ID}/uploads`, session.handler),
      http.post(/^https:\/\/graph\.facebook\.com\/v21\.0\/upload:/, bytes.handler),
      http.post(profileUrl, profile.handler),
    );

    expect(await post(w, { file_encoded: base64(png) })).toMatchObject({ status: 200, body: {} });

    expect(session.requests[0]?.url).toBe(`${GRAPH}/${APP_ID}/uploads?file_name=profile.png&file_length=1200&file_type=image%2Fpng`);
    expect(session.requests[0]?.headers).toEqual({ authorization: `Bearer ${TOKEN}` });
    expect(bytes.requests[0]?.url).toBe(`${GRAPH}/upload:MTphdHRhY2htZW50OjE=?sig=ARZqkGCA_uQM`);
    expect(bytes.requests[0]?.headers).toMatchObject({ authorization: `OAuth ${TOKEN}`, file_offset: "0" });
    expect(bytes.requests[0]?.bytes).toEqual(png);
    expect(profile.requests[0]?.json()).toEqual({
      messaging_product: "whatsapp",
      profile_picture_handle: "2:c2FtcGxl:image/png:GKAj0gAU:e:1472075513:ARZ_3ybz",
    });
  });

  it("needs app_id, and says so before calling anything", async () => {
    const w = await world("cloud-without-app");
    const res = await post(w, { file_encoded: base64(png) });
    expect(res.status).toBe(400);
    expect(res.body.detail).toMatch(/^Setting the profile photo on the Cloud API needs the inbox's `app_id`/);
  });

  it("answers 502 when a step fails, and stops there", async () => {
    const w = await world("cloud");
    const profile = seeing(() => HttpResponse.json({ success: true }));
    upstream.use(
      http.post(`${GRAPH}/${APP_ID}/uploads`, () => HttpResponse.json({ id: "upload:abc" })),
      http.post(/^https:\/\/graph\.facebook\.com\/v21\.0\/upload:/, () =>
        HttpResponse.json({ error: { message: "Invalid file type" } }, { status: 500 }),
      ),
      http.post(profileUrl, profile.handler),
    );
    const res = await post(w, { file_encoded: base64(jpeg) });
    expect(res).toMatchObject({ status: 502, body: { detail: "The WhatsApp provider did not accept the change: Invalid file type" } });
    expect(profile.requests).toHaveLength(0);

    // An upload session id that could leave its path is not followed.
    upstream.use(http.post(`${GRAPH}/${APP_ID}/uploads`, () => HttpResponse.json({ id: "upload:../../me/accounts" })));
    const odd = await post(w, { file_encoded: base64(jpeg) });
    expect(odd.status).toBe(502);
    expect(odd.body.detail).toMatch(/Unexpected answer from graph\.facebook\.com/);
  });

  it("cannot be removed: 501 with the reason", async () => {
    const w = await world("cloud");
    const res = await callJson(w.path("profile/photo/"), { method: "DELETE", token: w.admin.token });
    expect(res).toMatchObject({
      status: 501,
      body: {
        detail: "The Cloud API cannot remove a profile photo, only replace it: upload another one, or remove it in WhatsApp Manager.",
      },
    });
  });
});

describe("profile photo, 360dialog", () => {
  it("is uploaded through 360dialog's own Resumable Upload API with the D360-API-KEY", async () => {
    const w = await world("360dialog");
    const session = seeing(() => HttpResponse.json({ id: "abcdefghijklmnop123456" }));
    const bytes = seeing(() => HttpResponse.json({ h: "2:handle" }));
    const profile = seeing(() => HttpResponse.json({ success: true }));
    upstream.use(
      http.post(`${D360}/uploads`, session.handler),
      http.post(/^https:\/\/waba-v2\.360dialog\.io\/upload:/, bytes.handler),
      http.post(`${D360}/whatsapp_business_profile`, profile.handler),
    );

    expect((await post(w, { file_encoded: base64(jpeg) })).status).toBe(200);

    expect(session.requests[0]?.url).toBe(`${D360}/uploads?file_name=profile.jpg&file_length=900&file_type=image%2Fjpeg`);
    expect(session.requests[0]?.headers).toEqual({ "d360-api-key": D360_KEY });
    expect(bytes.requests[0]?.url).toBe(`${D360}/upload:abcdefghijklmnop123456`);
    expect(bytes.requests[0]?.headers).toMatchObject({ "d360-api-key": D360_KEY, file_offset: "0" });
    expect(bytes.requests[0]?.bytes).toEqual(jpeg);
    expect(profile.requests[0]?.json()).toEqual({ messaging_product: "whatsapp", profile_picture_handle: "2:handle" });
  });

  it("cannot be removed: 501", async () => {
    const w = await world("360dialog");
    const res = await callJson(w.path("profile/photo/"), { method: "DELETE", token: w.admin.token });
    expect(res.status).toBe(501);
    expect(res.body.detail).toMatch(/^360dialog \(Cloud API\) cannot remove a profile photo/);
  });
});

describe("profile photo, on-premises", () => {
  const photoUrl = `${ONPREM}/v1/settings/profile/photo`;

  it("streams the upstream's image, and is 404 when it has none", async () => {
    const w = await world("onprem");
    const read = seeing(() => new HttpResponse(png, { headers: { "content-type": "image/png" } }));
    upstream.use(http.get(photoUrl, read.handler, { once: true }));
    await expectPhoto(w, png, "image/png");
    expect(read.requests[0]?.headers).toEqual({ authorization: `Bearer ${ONPREM_TOKEN}` });

    upstream.use(http.get(photoUrl, () => HttpResponse.json({ errors: [{ code: 1006, title: "Resource not found" }] }, { status: 404 })));
    expect((await get(w)).status).toBe(404);
  });

  it("posts the image bytes with their type, and deletes", async () => {
    const w = await world("onprem");
    const write = seeing(() => HttpResponse.json({ meta: { api_status: "stable" } }));
    const remove = seeing(() => new HttpResponse(null, { status: 200 }));
    upstream.use(http.post(photoUrl, write.handler), http.delete(photoUrl, remove.handler));

    expect(await post(w, { file_encoded: base64(jpeg) })).toMatchObject({ status: 200, body: {} });
    expect(write.requests[0]?.headers).toEqual({ authorization: `Bearer ${ONPREM_TOKEN}`, "content-type": "image/jpeg" });
    expect(write.requests[0]?.bytes).toEqual(jpeg);

    expect((await call(w.path("profile/photo/"), { method: "DELETE", token: w.admin.token })).status).toBe(204);
    expect(remove.requests[0]?.headers).toEqual({ authorization: `Bearer ${ONPREM_TOKEN}` });
  });

  it("answers 502 when the upstream fails", async () => {
    const w = await world("onprem");
    upstream.use(http.post(photoUrl, () => new HttpResponse("Internal Server Error", { status: 500 })));
    const res = await post(w, { file_encoded: base64(png) });
    expect(res).toMatchObject({
      status: 502,
      body: { detail: "The WhatsApp provider did not accept the change: HTTP 500: Internal Server Error" },
    });
  });
});
