import { expect, it } from "vitest";
import { callJson } from "./api";
import { createUser, createWorkspace, type TestUser, type TestWorkspace } from "./factories";
import { APP_SECRET, cloudEnvelope, postWebhook, textMessage } from "./whatsapp";

/** The chat every world has (`4915100000001`, one inbound message), for permission cases. */
export const WORLD_CHAT = "4915100000001";

export type Endpoint = {
  method: string;
  /** Path under `/api/v1` (`site`: under the inbox's base); `{self}` is the calling user's id, `{other}` another user's. */
  path: string;
  body?: unknown;
  /** Endpoints a regular user may not call. */
  adminOnly?: boolean;
  site?: boolean;
  /** RapidPro's `/api/v2` instead of `/api/v1` (its writes are `adminOnly`: a `user` is one of its viewers). */
  api?: "v2";
  /**
   * What a user who may read no chat (`can_read_chats: "none"`) gets: an empty `list`,
   * a 404 `lookup`, or a 403 `write`.
   */
  blind?: "list" | "lookup" | "write";
};

type World = {
  ws: TestWorkspace;
  admin: TestUser;
  regular: TestUser;
  blind: TestUser;
  foreign: TestWorkspace;
  foreignAdmin: TestUser;
};

async function world(): Promise<World> {
  const ws = await createWorkspace({ config: { app_secret: APP_SECRET } });
  const foreign = await createWorkspace();
  await postWebhook(ws.inboxId, cloudEnvelope({ messages: [textMessage(WORLD_CHAT, "hello")] }));
  const admin = await createUser(ws, "admin");
  const blind = await createUser(ws, "user");
  const permissions = { can_use_tags: true, can_read_chats: "none", can_write_to_chats: "none" };
  const patched = await callJson(`${ws.prefix}/users/${blind.id}/`, { method: "PATCH", token: admin.token, body: { permissions } });
  if (patched.status !== 200) throw new Error(`blind user: ${JSON.stringify(patched.body)}`);
  return { ws, admin, regular: await createUser(ws, "user"), blind, foreign, foreignAdmin: await createUser(foreign, "admin") };
}

const base = (ep: Endpoint, inboxId: string) => (ep.site ? `/inboxes/${inboxId}` : `/inboxes/${inboxId}/api/${ep.api ?? "v1"}`);

const fill = (path: string, self: number, other: number) => path.replaceAll("{self}", String(self)).replaceAll("{other}", String(other));

/**
 * The one security suite every authenticated endpoint gets: no credential, a wrong
 * credential, a missing permission, and a credential of another workspace (which must
 * be indistinguishable from a non-existent inbox).
 */
export function securitySuite(endpoints: Endpoint[]) {
  let w: World;
  const setup = async () => {
    w ??= await world();
    return w;
  };

  for (const ep of endpoints) {
    const name = `${ep.method} /api/${ep.api ?? "v1"}${ep.path}`;

    it(`${name}: no credential is the seed's 403`, async () => {
      const { ws, admin } = await setup();
      const res = await callJson(`${base(ep, ws.inboxId)}${fill(ep.path, admin.id, admin.id)}`, { method: ep.method, body: ep.body });
      expect(res.status).toBe(403);
      expect(res.body).toEqual({ detail: "Authentication credentials were not provided." });
    });

    it(`${name}: a wrong token is refused`, async () => {
      const { ws, admin } = await setup();
      const res = await callJson(`${base(ep, ws.inboxId)}${fill(ep.path, admin.id, admin.id)}`, {
        method: ep.method,
        body: ep.body,
        token: "0".repeat(40),
      });
      expect(res.status).toBe(403);
      expect(res.body).toEqual({ detail: "Invalid token." });
    });

    it(`${name}: another workspace's credential looks like a missing inbox`, async () => {
      const { ws, admin, foreignAdmin } = await setup();
      const path = fill(ep.path, admin.id, admin.id);
      const foreign = await callJson(`${base(ep, ws.inboxId)}${path}`, { method: ep.method, body: ep.body, token: foreignAdmin.token });
      const missing = await callJson(`${base(ep, crypto.randomUUID())}${path}`, {
        method: ep.method,
        body: ep.body,
        token: foreignAdmin.token,
      });
      expect(foreign.status).toBe(404);
      expect({ status: foreign.status, body: foreign.body }).toEqual({ status: missing.status, body: missing.body });
    });

    if (ep.blind) {
      const expected = ep.blind;
      it(`${name}: a user who may read no chat gets ${expected === "list" ? "an empty list" : expected === "lookup" ? "404" : "403"}`, async () => {
        const { ws, admin, blind } = await setup();
        const res = await callJson(`${base(ep, ws.inboxId)}${fill(ep.path, blind.id, admin.id)}`, {
          method: ep.method,
          body: ep.body,
          token: blind.token,
        });
        if (expected === "list") expect({ status: res.status, count: res.body.count }).toEqual({ status: 200, count: 0 });
        else expect(res.status).toBe(expected === "lookup" ? 404 : 403);
      });
    }

    if (ep.adminOnly) {
      it(`${name}: a regular user is forbidden`, async () => {
        const { ws, admin, regular } = await setup();
        const res = await callJson(`${base(ep, ws.inboxId)}${fill(ep.path, regular.id, admin.id)}`, {
          method: ep.method,
          body: ep.body,
          token: regular.token,
        });
        expect(res.status).toBe(403);
        expect(res.body.detail).toMatch(/permission|Only admins/);
      });
    }
  }
}
