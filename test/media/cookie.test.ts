import { beforeAll, describe, expect, it } from "vitest";
import { call, callJson } from "../helpers/api";
import { createUser, createWorkspace, type TestUser, type TestWorkspace } from "../helpers/factories";
import { base64, bytesOf, PNG } from "./support";

let ws: TestWorkspace;
let user: TestUser;
let mediaId: string;
beforeAll(async () => {
  ws = await createWorkspace();
  user = await createUser(ws, "admin");
  const res = await callJson(`${ws.prefix}/media/`, { body: { file_encoded: base64(bytesOf(64, PNG)) }, token: user.token });
  mediaId = res.body.id;
});

/** A token login as a browser makes it: the answer's media cookie. */
async function mediaCookie(): Promise<{ header: string; cookie: string }> {
  const res = await call(`${ws.prefix}/auth/token/`, { body: { username: user.username, password: user.password } });
  expect(res.status).toBe(200);
  const header = res.headers.get("set-cookie") ?? "";
  return { header, cookie: header.split(";")[0] as string };
}

describe("the media cookie (browsers showing media of a token login)", () => {
  it("is set HttpOnly, SameSite=Lax and scoped to the media path by POST /auth/token/", async () => {
    const { header } = await mediaCookie();
    expect(header).toMatch(/^sb_media=[0-9a-f]{40};/);
    expect(header).toContain("HttpOnly");
    expect(header).toContain("SameSite=Lax");
    expect(header).toContain(`Path=${ws.prefix}/media`);
  });

  it("reads media with GET, on both the slash and the no-slash path (no redirect), and nothing else", async () => {
    const { cookie } = await mediaCookie();
    for (const path of [`${ws.prefix}/media/${mediaId}/`, `${ws.prefix}/media/${mediaId}`]) {
      const res = await call(path, { headers: { cookie } });
      expect([path, res.status, res.headers.get("content-type")]).toEqual([path, 200, "image/png"]);
    }
    const none = { detail: "Authentication credentials were not provided." };
    expect(await callJson(`${ws.prefix}/users/current/`, { headers: { cookie } })).toMatchObject({ status: 403, body: none });
    expect(await callJson(`${ws.prefix}/media/`, { headers: { cookie }, body: { file_encoded: "aGk=" } })).toMatchObject({
      status: 403,
      body: none,
    });
  });

  it("stops working when the token is logged out, and logout clears it", async () => {
    const { cookie } = await mediaCookie();
    const token = (await callJson(`${ws.prefix}/auth/token/`, { body: { username: user.username, password: user.password } })).body.token;
    const out = await call(`${ws.prefix}/auth/logout/`, { token });
    expect(out.headers.get("set-cookie")).toMatch(/^sb_media=;.*Max-Age=0/);
    expect((await call(`${ws.prefix}/media/${mediaId}/`, { headers: { cookie } })).status).toBe(403);
  });
});
