import { describe, expect, it } from "vitest";
import { callJson } from "../helpers/api";
import { createUser, createWorkspace } from "../helpers/factories";

const template = (name: string, category: string, text: string) => ({
  name,
  category,
  language: "en_US",
  components: [{ type: "BODY", text }],
});

async function setup() {
  const ws = await createWorkspace();
  const admin = await createUser(ws, "admin");
  const user = await createUser(ws, "user");
  return { ws, admin, user };
}

describe("plugins", () => {
  it("installs the templates plugin, serves its public data with query filters, and uninstalls it", async () => {
    const { ws, admin, user } = await setup();
    const publicData = (query = "") => callJson(`${ws.prefix}/plugins/templates/public/${query}`, { token: user.token });
    expect((await publicData()).status).toBe(404);
    await callJson(`${ws.prefix}/templates/`, { token: admin.token, body: template("shipped", "UTILITY", "Order {{1}} ships {{2}}.") });
    await callJson(`${ws.prefix}/templates/`, { token: admin.token, body: template("promo", "MARKETING", "Sale!") });

    const installed = await callJson(`${ws.prefix}/plugins/`, {
      token: admin.token,
      body: { type: "templates", config: { categories: ["UTILITY"] } },
    });
    expect(installed).toMatchObject({ status: 201, body: { type: "templates", config: { categories: ["UTILITY"] } } });
    expect((await callJson(`${ws.prefix}/plugins/`, { token: admin.token })).body).toHaveLength(1);

    const data = await publicData();
    expect(data.body).toEqual({
      response: {
        namespace: `sandbox_${ws.inboxId.replaceAll("-", "")}`,
        templates: [
          {
            name: "shipped",
            language: "en_US",
            category: "UTILITY",
            components: [{ type: "BODY", text: "Order {{1}} ships {{2}}." }],
            parameters: { body: 2 },
          },
        ],
      },
    });
    expect((await publicData("?name=other")).body.response.templates).toEqual([]);

    expect((await callJson(`${ws.prefix}/plugins/templates/`, { method: "DELETE", token: admin.token })).status).toBe(204);
    expect((await publicData()).status).toBe(404);
    expect((await callJson(`${ws.prefix}/plugins/templates/`, { method: "DELETE", token: admin.token })).status).toBe(404);
  });

  it("validates the type and the type's config; a second install is a 400; users may not install", async () => {
    const { ws, admin, user } = await setup();
    const install = (body: unknown, token = admin.token) => callJson(`${ws.prefix}/plugins/`, { token, body });
    expect((await install({ type: "templates" }, user.token)).status).toBe(403);
    expect((await callJson(`${ws.prefix}/plugins/`, { token: user.token })).status).toBe(403);
    expect((await install({ type: "crm" })).body).toEqual({ type: ['"crm" is not a valid choice.'] });
    expect((await install({ type: "templates", config: { categories: ["NEWS"] } })).status).toBe(400);
    expect((await install({ type: "templates", config: { colour: "red" } })).body).toEqual({
      config: { non_field_errors: ["Unknown field(s): colour."] },
    });
    expect((await install({ type: "templates" })).status).toBe(201);
    expect((await install({ type: "templates" })).body).toEqual({ type: ['A "templates" plugin is installed already: delete it first.'] });
  });

  it("keeps plugins per inbox", async () => {
    const { ws, admin } = await setup();
    await callJson(`${ws.prefix}/plugins/`, { token: admin.token, body: { type: "templates" } });
    const other = await setup();
    expect((await callJson(`${other.ws.prefix}/plugins/`, { token: other.admin.token })).body).toEqual([]);
    expect((await callJson(`${other.ws.prefix}/plugins/templates/public/`, { token: other.user.token })).status).toBe(404);
  });
});
