import { describe, expect, it } from "vitest";
import { call, callJson } from "../helpers/api";
import { createUser, createWorkspace } from "../helpers/factories";

describe("bad input", () => {
  it("answers malformed JSON, non-object JSON and unsupported content types cleanly", async () => {
    const ws = await createWorkspace();
    const admin = await createUser(ws, "admin");
    const headers = { authorization: `Token ${admin.token}`, "content-type": "application/json" };
    const malformed = await callJson(`${ws.prefix}/users/`, { raw: "{not json", headers });
    expect(malformed.status).toBe(400);
    expect(malformed.body.detail).toMatch(/^JSON parse error - /);
    const list = await callJson(`${ws.prefix}/users/`, { raw: "[1,2]", headers });
    expect(list).toMatchObject({ status: 400, body: { non_field_errors: ["Invalid data. Expected a dictionary."] } });
    const xml = await callJson(`${ws.prefix}/users/`, { raw: "<x/>", headers: { ...headers, "content-type": "application/xml" } });
    expect(xml).toMatchObject({ status: 415, body: { detail: 'Unsupported media type "application/xml" in request.' } });
  });

  it("refuses bodies over the limit with 413 before reading them", async () => {
    const ws = await createWorkspace();
    const res = await callJson(`${ws.prefix}/auth/token/`, {
      raw: JSON.stringify({ username: "x", password: "y".repeat(2_000_000) }),
      headers: { "content-type": "application/json" },
    });
    expect(res.status).toBe(413);
    expect(res.body.detail).toMatch(/too large/);
  });

  it("serves the OpenAPI 3.1 document and the reference page", async () => {
    const doc = await callJson("/openapi.json");
    expect(doc.body.openapi).toBe("3.1.0");
    for (const path of ["/api/v1/auth/token/", "/api/v1/users/", "/api/v1/users/{id}/", "/api/v1/groups/", "/platform/v1/workspaces"]) {
      expect(Object.keys(doc.body.paths)).toContain(path);
    }
    expect(doc.body.paths["/api/v1/users/"].post.requestBody.content["application/json"].schema.properties.username).toBeDefined();
    const page = await call("/docs");
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toMatch(/text\/html/);
  });
});

describe("methods", () => {
  it("answers a known path with the wrong method with DRF's 405 and Allow", async () => {
    const ws = await createWorkspace();
    const admin = await createUser(ws, "admin");
    const res = await callJson(`${ws.prefix}/users/current/`, { method: "DELETE", token: admin.token });
    expect(res).toMatchObject({ status: 405, body: { detail: 'Method "DELETE" not allowed.' } });
    expect(res.headers.get("allow")).toBe("GET");
    const platformRes = await callJson("/platform/v1/workspaces", { method: "DELETE" });
    expect(platformRes.status).toBe(401);
  });
});
