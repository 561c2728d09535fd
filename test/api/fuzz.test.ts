import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { call, PLATFORM_KEY } from "../helpers/api";
import { ENDPOINTS } from "../helpers/endpoints";
import { createUser, createWorkspace } from "../helpers/factories";

/** Random JSON, random text under a JSON content type, and random forms: no input may produce a 5xx. */
const bodies = fc.oneof(
  fc.json().map((text) => ({ text, type: "application/json" })),
  fc.string().map((text) => ({ text, type: "application/json" })),
  fc
    .dictionary(fc.string(), fc.string())
    .map((d) => ({ text: new URLSearchParams(d).toString(), type: "application/x-www-form-urlencoded" })),
  fc
    .record({
      username: fc.anything(),
      password: fc.anything(),
      email: fc.anything(),
      profile: fc.anything(),
      groups: fc.anything(),
      permissions: fc.anything(),
    })
    .map((r) => ({ text: JSON.stringify(r), type: "application/json" })),
);

describe("fuzz: no 5xx", () => {
  it("for every foundation endpoint, public and platform included", async () => {
    const ws = await createWorkspace();
    const admin = await createUser(ws, "admin");
    const other = await createUser(ws, "user");
    const targets = [
      ...ENDPOINTS.map((e) => ({
        method: e.method,
        path: `${ws.prefix}${e.path.replace("{self}", String(admin.id)).replace("{other}", String(other.id))}`,
        auth: `Token ${admin.token}`,
      })),
      { method: "POST", path: `${ws.prefix}/auth/token/`, auth: "" },
      { method: "POST", path: `/inboxes/${ws.inboxId}/login/`, auth: "" },
      { method: "POST", path: "/platform/v1/workspaces", auth: `Bearer ${PLATFORM_KEY}` },
      { method: "POST", path: `/platform/v1/workspaces/${ws.id}/inboxes`, auth: `Bearer ${PLATFORM_KEY}` },
      { method: "PATCH", path: `/platform/v1/workspaces/${ws.id}/inboxes/${ws.inboxId}`, auth: `Bearer ${PLATFORM_KEY}` },
      { method: "POST", path: `/platform/v1/workspaces/${ws.id}/users`, auth: `Bearer ${PLATFORM_KEY}` },
    ];
    for (const target of targets) {
      await fc.assert(
        fc.asyncProperty(bodies, async ({ text, type }) => {
          const headers: Record<string, string> = { "content-type": type };
          if (target.auth) headers.authorization = target.auth;
          const res = await call(target.path, { method: target.method, raw: target.method === "GET" ? undefined : text, headers });
          await res.arrayBuffer();
          expect(res.status, `${target.method} ${target.path} ${text}`).toBeLessThan(500);
        }),
        { numRuns: 25 },
      );
    }
  }, 120_000);
});
