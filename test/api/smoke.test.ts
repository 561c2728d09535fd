import { describe, expect, it } from "vitest";
import { callJson } from "../helpers/api";
import { createUser, createWorkspace } from "../helpers/factories";

describe("smoke", () => {
  it("creates a workspace, user, and reads current user", async () => {
    const ws = await createWorkspace();
    const admin = await createUser(ws, "admin");
    const me = await callJson(`${ws.prefix}/users/current/`, { token: admin.token });
    expect(me.status).toBe(200);
    expect(me.body.username).toBe(admin.username);
  });
});
