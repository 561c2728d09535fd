import { describe, expect, it } from "vitest";
import { callJson, platform } from "../helpers/api";
import { createWorkspace } from "../helpers/factories";

type Parameter = { in: string; name: string };
type Operation = { parameters?: Parameter[] };
/** The document as JSON: paths and components are looked up by the names this test expects. */
type Doc = { paths: Record<string, any>; components: Record<string, any> };

const query = (op: Operation | undefined) => (op?.parameters ?? []).filter((p) => p.in === "query").map((p) => p.name);
const V2_SECURITY = [{ Token: [] }, { Session: [] }];

describe("the OpenAPI document of the contact dialects", () => {
  it("documents v2's three resources with their query parameters, seed 003, the Polser webhook, stages and the inbox settings", async () => {
    const res = await callJson<Doc>("/openapi.json");
    expect(res.status).toBe(200);
    const { paths, components } = res.body;

    const contacts = paths["/api/v2/contacts.json"];
    expect(Object.keys(contacts).sort()).toEqual(["delete", "get", "post"]);
    expect(query(contacts.get).sort()).toEqual(["after", "before", "cursor", "deleted", "group", "reverse", "urn", "uuid"]);
    expect(query(contacts.post).sort()).toEqual(["urn", "uuid"]);
    expect(query(contacts.delete).sort()).toEqual(["urn", "uuid"]);
    expect(Object.keys(contacts.post.responses).sort()).toEqual(expect.arrayContaining(["200", "201", "400", "403", "404"]));
    expect(Object.keys(contacts.delete.responses)).toEqual(expect.arrayContaining(["204", "400", "404"]));

    const fields = paths["/api/v2/fields.json"];
    expect(Object.keys(fields).sort()).toEqual(["get", "post"]);
    expect(query(fields.get).sort()).toEqual(["cursor", "key", "reverse"]);
    expect(query(fields.post)).toEqual(["key"]);

    const groups = paths["/api/v2/groups.json"];
    expect(Object.keys(groups).sort()).toEqual(["delete", "get", "post"]);
    expect(query(groups.get).sort()).toEqual(["cursor", "name", "reverse", "uuid"]);
    expect(query(groups.post)).toEqual(["uuid"]);
    expect(query(groups.delete)).toEqual(["uuid"]);
    for (const op of [contacts.get, contacts.post, contacts.delete, fields.get, fields.post, groups.get, groups.post, groups.delete]) {
      expect(op.security).toEqual(V2_SECURITY);
    }
    // v2 bodies are JSON only, as the endpoints answer (others 415).
    for (const op of [contacts.post, fields.post, groups.post])
      expect(Object.keys(op.requestBody?.content ?? {})).toEqual(["application/json"]);

    const upsert = paths["/api/public/customer/upsert/info"];
    expect(Object.keys(upsert)).toEqual(["post"]);
    expect(upsert.post.security).toEqual([{ ApiKey: [] }]);
    expect(components.securitySchemes.ApiKey).toMatchObject({ type: "apiKey", in: "header", name: "x-api-key" });
    expect(Object.keys(upsert.post.responses).sort()).toEqual(["200", "201", "400", "401"]);

    const hook = paths["/webhooks/contacts/{key}"];
    expect(Object.keys(hook)).toEqual(["post"]);
    expect(hook.post.security).toEqual([]);
    expect(hook.post.parameters).toEqual([expect.objectContaining({ in: "path", name: "key" })]);
    // One body shape per operation: upsert, assign, delete, flow.
    expect(hook.post.requestBody.content["application/json"].schema.anyOf.map((s: { required: string[] }) => s.required)).toEqual([
      ["contact"],
      ["contact", "source_phone", "assignee"],
      ["delete_contact"],
      ["flow_data"],
    ]);

    expect(Object.keys(paths["/api/v1/stages/"]).sort()).toEqual(["get", "post"]);
    expect(Object.keys(paths["/api/v1/stages/{id}/"]).sort()).toEqual(["delete", "get", "patch"]);

    const inbox = components.schemas.Inbox;
    expect(inbox.required).toEqual(expect.arrayContaining(["invite_template", "flow_templates"]));
    expect(inbox.properties).toMatchObject({
      invite_template: { $ref: "#/components/schemas/TemplateRef" },
      flow_templates: { type: "object", additionalProperties: { $ref: "#/components/schemas/TemplateRef" } },
    });
    expect(components.schemas.TemplateRef).toMatchObject({ type: ["object", "null"], required: ["name", "language"] });
    for (const [path, method] of [
      ["/platform/v1/workspaces/{id}/inboxes", "post"],
      ["/platform/v1/workspaces/{id}/inboxes/{inboxId}", "patch"],
    ] as const) {
      const body = paths[path][method].requestBody.content["application/json"].schema;
      expect({ path, keys: Object.keys(body.properties ?? {}) }).toEqual({
        path,
        keys: expect.arrayContaining(["invite_template", "flow_templates"]),
      });
    }
    // The person view's workspace_contact and the users' uuid.
    expect(JSON.stringify(components.schemas.PersonDetail)).toContain("workspace_contact");
    expect(components.schemas.User.required).toContain("uuid");
  });

  it("documents seed 003's body as JSON only, and the endpoint refuses other content types with a 415", async () => {
    const { paths } = (await callJson<Doc>("/openapi.json")).body;
    expect(Object.keys(paths["/api/public/customer/upsert/info"].post.requestBody?.content ?? {})).toEqual(["application/json"]);
    const ws = await createWorkspace();
    const key = (await platform(`/workspaces/${ws.id}/api_keys`, { body: { name: "CRM" } })).body.key as string;
    const form = new URLSearchParams({
      channel: "whatsapp",
      channel_phone_number: "+4915112345678",
      contact_phone_number: "+491701234567",
    });
    const res = await callJson("/api/public/customer/upsert/info", { raw: form, headers: { "x-api-key": key } });
    expect(res.status).toBe(415);
  });
});
