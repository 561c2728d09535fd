import { describe, expect, it } from "vitest";
import { callJson } from "../helpers/api";
import { createUser, createWorkspace } from "../helpers/factories";

describe("paths the vendor's web-inbox client calls", () => {
  it("changes one's own password at PUT /users/password/change/ (and POST, and the older path)", async () => {
    const ws = await createWorkspace();
    const user = await createUser(ws, "user");
    const put = await callJson(`${ws.prefix}/users/password/change/`, {
      method: "PUT",
      token: user.token,
      body: { current_password: user.password, new_password: "a-new-long-password-1" },
    });
    expect(put).toMatchObject({ status: 200, body: {} });
    const wrong = await callJson(`${ws.prefix}/users/password/change/`, {
      token: user.token,
      body: { current_password: user.password, new_password: "another-long-password-2" },
    });
    expect(wrong).toMatchObject({ status: 400, body: { current_password: ["Wrong password."] } });
    const old = await callJson(`${ws.prefix}/users/current/password/change/`, {
      token: user.token,
      body: { current_password: "a-new-long-password-1", new_password: "another-long-password-2" },
    });
    expect(old.status).toBe(200);
  });

  it("GET /auth/logout/ ends the token; the next POST /auth/token/ issues a new one", async () => {
    const ws = await createWorkspace();
    const user = await createUser(ws, "user");
    const out = await callJson(`${ws.prefix}/auth/logout/`, { token: user.token });
    expect(out).toMatchObject({ status: 200, body: { detail: "Successfully logged out." } });
    expect((await callJson(`${ws.prefix}/users/current/`, { token: user.token })).body).toEqual({ detail: "Invalid token." });
    const again = await callJson(`${ws.prefix}/auth/token/`, { body: { username: user.username, password: user.password } });
    expect(again.body.token).not.toBe(user.token);
    expect((await callJson(`${ws.prefix}/users/current/`, { token: again.body.token })).status).toBe(200);
    expect((await callJson(`${ws.prefix}/auth/logout/`)).status).toBe(403);
  });

  it("lists the new resources at the API root", async () => {
    const ws = await createWorkspace();
    const root = await callJson(`${ws.prefix}/`);
    expect(Object.keys(root.body)).toEqual(
      expect.arrayContaining(["tags", "chat_tagging", "message_tagging", "chat_tagging_events", "message_tagging_events"]),
    );
  });
});
