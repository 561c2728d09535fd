import { describe, expect, it } from "vitest";
import { call, callJson } from "../helpers/api";
import { ENDPOINTS } from "../helpers/endpoints";

/**
 * Authentication is the default: every operation of the OpenAPI document is either
 * declared public (`security: []`) or covered by the shared security suite (for the
 * platform API: refused with 401 without its key). A new route that is neither fails here.
 */
describe("the route registry", () => {
  it("has no operation that is neither public nor covered by the security suite", async () => {
    const doc = await callJson("/openapi.json");
    const uncovered: string[] = [];
    for (const [path, byMethod] of Object.entries<Record<string, { security?: unknown[] }>>(doc.body.paths)) {
      for (const [method, op] of Object.entries(byMethod)) {
        if (op.security?.length === 0) continue;
        const verb = method.toUpperCase();
        if (path.startsWith("/api/public/")) {
          const res = await call(path, { method: verb, headers: { "x-api-key": "sbk_revoked-or-unknown" } });
          expect(res.status, `${verb} ${path} without a workspace API key`).toBe(401);
          continue;
        }
        if (path.startsWith("/platform/")) {
          const res = await call(path.replace(/\{[^}]+\}/g, "x"), { method: verb });
          expect(res.status, `${verb} ${path} without the platform key`).toBe(401);
          continue;
        }
        const api = path.startsWith("/api/v2/") ? "v2" : undefined;
        const pattern = new RegExp(`^${path.replace(/^\/api\/v[12]/, "").replace(/\{[^}]+\}/g, "[^/]+")}$`);
        const covered = ENDPOINTS.some(
          (e) => e.method === verb && e.api === api && pattern.test(e.path.replace(/\{(self|other)\}/g, "1").split("?")[0] as string),
        );
        if (!covered) uncovered.push(`${verb} ${path}`);
      }
    }
    expect(uncovered).toEqual([]);
  });
});
