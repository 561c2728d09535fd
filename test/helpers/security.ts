import { expect, it } from "vitest";
import { callJson } from "./api";
import { createUser, createWorkspace, type TestUser, type TestWorkspace } from "./factories";

export type Endpoint = {
  method: string;
  /** Path under `/api/v1`; `{self}` is replaced with the calling user's id, `{other}` with another user's. */
  path: string;
  body?: unknown;
  /** Endpoints a regular user may not call. */
  adminOnly?: boolean;
};

type World = { ws: TestWorkspace; admin: TestUser; regular: TestUser; foreign: TestWorkspace; foreignAdmin: TestUser };

async function world(): Promise<World> {
  const ws = await createWorkspace();
  const foreign = await createWorkspace();
  return {
    ws,
    admin: await createUser(ws, "admin"),
    regular: await createUser(ws, "user"),
    foreign,
    foreignAdmin: await createUser(foreign, "admin"),
  };
}

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
    const name = `${ep.method} /api/v1${ep.path}`;

    it(`${name}: no credential is the seed's 403`, async () => {
      const { ws, admin } = await setup();
      const res = await callJson(`${ws.prefix}${fill(ep.path, admin.id, admin.id)}`, { method: ep.method, body: ep.body });
      expect(res.status).toBe(403);
      expect(res.body).toEqual({ detail: "Authentication credentials were not provided." });
    });

    it(`${name}: a wrong token is refused`, async () => {
      const { ws, admin } = await setup();
      const res = await callJson(`${ws.prefix}${fill(ep.path, admin.id, admin.id)}`, {
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
      const foreign = await callJson(`${ws.prefix}${path}`, { method: ep.method, body: ep.body, token: foreignAdmin.token });
      const missing = await callJson(`/inboxes/${crypto.randomUUID()}/api/v1${path}`, {
        method: ep.method,
        body: ep.body,
        token: foreignAdmin.token,
      });
      expect(foreign.status).toBe(404);
      expect({ status: foreign.status, body: foreign.body }).toEqual({ status: missing.status, body: missing.body });
    });

    if (ep.adminOnly) {
      it(`${name}: a regular user is forbidden`, async () => {
        const { ws, admin, regular } = await setup();
        const res = await callJson(`${ws.prefix}${fill(ep.path, regular.id, admin.id)}`, {
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
