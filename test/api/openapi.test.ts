import { describe, expect, it } from "vitest";
import { callJson } from "../helpers/api";
import { createWorkspace } from "../helpers/factories";

type Operation = { security?: unknown[]; parameters?: { in: string; name: string; schema: { type: string } }[] };
const operations = async () => {
  const doc = await callJson("/openapi.json");
  expect(doc.status).toBe(200);
  const ops = Object.entries<Record<string, Operation>>(doc.body.paths).flatMap(([path, byMethod]) =>
    Object.entries(byMethod).map(([method, op]) => ({ key: `${method.toUpperCase()} ${path}`, op })),
  );
  return { doc: doc.body, ops };
};

describe("the OpenAPI document", () => {
  it("states every operation's security; exactly the public ones say []", async () => {
    const { ops } = await operations();
    expect(ops.every(({ op }) => Array.isArray(op.security))).toBe(true);
    expect(ops.filter(({ op }) => op.security?.length === 0).map((o) => o.key)).toEqual([
      "GET /api/v1/",
      "POST /api/v1/auth/token/",
      "GET /api/v1/users/activate/{code}/",
      "POST /api/v1/users/activate/{code}/",
      "GET /login/",
      "POST /login/",
      "GET /webhooks/whatsapp/{inboxId}",
      "POST /webhooks/whatsapp/{inboxId}",
      "POST /webhooks/contacts/{key}",
    ]);
    expect(ops.find((o) => o.key === "POST /logout/")?.op.security).toEqual([{ Token: [] }, { Session: [] }, { D360ApiKey: [] }]);
    expect(ops.find((o) => o.key === "GET /platform/v1/workspaces")?.op.security).toEqual([{ PlatformKey: [] }]);
  });

  it("documents the API root where it answers, integer ids, and the error body", async () => {
    const { doc, ops } = await operations();
    await createWorkspace(); // the default inbox that bare /api/v1/ addresses
    expect((await callJson("/api/v1/")).status).toBe(200);
    expect(ops.some((o) => o.key === "GET /api/v1/")).toBe(true);
    const id = ops.find((o) => o.key === "GET /api/v1/users/{id}/")?.op.parameters?.find((p) => p.name === "id");
    expect(id?.schema.type).toBe("integer");
    expect(doc.components.schemas.Error.properties.detail.type).toBe("string");
    expect(ops.find((o) => o.key === "GET /api/v1/users/")?.op.parameters?.find((p) => p.name === "limit")).toMatchObject({
      description: "Number of results to return per page; values above 1000 are capped to 1000.",
    });
  });
});
