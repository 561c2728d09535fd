import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { AppEnv } from "../../context";
import { countActiveAdmins, groupsOfUsers, type User, updateUser, workspaceGroups } from "../../db/queries/users";
import { fieldErrors, forbidden, notFound } from "../../errors";
import { bodyDoc, readBody } from "../../http/body";
import { type App, errorResponses, IntId, json } from "../../http/openapi";
import { requireUser } from "../../middleware/auth";
import { ROLE_DEFAULTS } from "../../services/permissions";
import { refreshUserSockets } from "../../services/sockets";
import { USERNAME_TAKEN, uniqueField } from "../../services/unique";
import { UserSchema } from "../../services/users";
import { loadUser, userWire } from "./load";
import { PatchUserBody, UpdateUserBody, type UserChanges } from "./schemas";

const describe = (method: "put" | "patch") =>
  createRoute({
    method,
    path: "/users/{id}/",
    tags: ["Users"],
    summary: method === "put" ? "Update a user (all fields)" : "Partially update a user",
    description:
      "Admins, or the user themself. Only admins change `profile.role`, `groups` and `permissions`; a role change resets permissions to the new role's defaults unless `permissions` is given. Role groups follow `profile.role`; `groups` sets the other memberships.",
    request: { params: z.object({ id: IntId }), body: bodyDoc(method === "put" ? UpdateUserBody : PatchUserBody) },
    responses: { 200: json(UserSchema, "The updated user."), ...errorResponses },
  });

export const registerUpdateUser = (app: App) => {
  app.openapi(describe("put"), async (c) => c.json(await applyUpdate(c, c.req.valid("param").id, await readBody(c, UpdateUserBody)), 200));
  app.openapi(describe("patch"), async (c) => c.json(await applyUpdate(c, c.req.valid("param").id, await readBody(c, PatchUserBody)), 200));
};

async function applyUpdate(c: Context<AppEnv>, id: string, body: UserChanges) {
  const actor = requireUser(c);
  const target = await loadUser(c, id);
  const isAdmin = actor.role === "admin";
  if (!isAdmin && actor.id !== target.id) throw forbidden();
  const db = c.get("db");
  const workspaceId = target.workspaceId;

  const role = body.profile?.role ?? target.role;
  const base = role !== target.role ? ROLE_DEFAULTS[role] : target;
  const permissions = {
    canUseTags: body.permissions?.can_use_tags ?? base.canUseTags,
    canReadChats: body.permissions?.can_read_chats ?? base.canReadChats,
    canWriteToChats: body.permissions?.can_write_to_chats ?? base.canWriteToChats,
  };
  const extraGroupIds = body.groups ? await customGroups(c, workspaceId, body.groups) : undefined;
  if (!isAdmin) {
    const changesGroups = extraGroupIds !== undefined && !sameSet(extraGroupIds, await currentCustomGroups(c, target));
    if (role !== target.role || !samePermissions(permissions, target) || changesGroups) {
      throw forbidden("Only admins can change roles, groups and permissions.");
    }
  }
  if (target.role === "admin" && role !== "admin" && target.isActive && (await countActiveAdmins(db, workspaceId)) <= 1) {
    throw fieldErrors({ profile: { role: ["The workspace's last active admin cannot lose the admin role."] } });
  }
  const updated = await uniqueField(
    () =>
      updateUser(
        db,
        workspaceId,
        target.id,
        {
          username: body.username,
          firstName: body.first_name,
          lastName: body.last_name,
          email: body.email,
          role,
          ...permissions,
        },
        extraGroupIds,
      ),
    "users.username",
    "username",
    USERNAME_TAKEN,
  );
  if (!updated) throw notFound();
  await refreshUserSockets(c.env, db, workspaceId, target.id);
  return userWire(c, updated);
}

function samePermissions(a: Pick<User, "canUseTags" | "canReadChats" | "canWriteToChats">, b: User) {
  return a.canUseTags === b.canUseTags && a.canReadChats === b.canReadChats && a.canWriteToChats === b.canWriteToChats;
}

const sameSet = (a: number[], b: number[]) => a.length === b.length && a.every((x) => b.includes(x));

async function currentCustomGroups(c: Context<AppEnv>, user: User): Promise<number[]> {
  const known = await workspaceGroups(c.get("db"), user.workspaceId);
  const mine = (await groupsOfUsers(c.get("db"), [user.id])).get(user.id) ?? [];
  return mine.filter((g) => known.some((k) => k.id === g.id && k.role === null)).map((g) => g.id);
}

/** Validates group ids against the workspace; role groups are dropped (they follow `profile.role`). */
async function customGroups(c: Context<AppEnv>, workspaceId: string, ids: number[]): Promise<number[]> {
  const known = await workspaceGroups(c.get("db"), workspaceId);
  const unknown = ids.filter((id) => !known.some((g) => g.id === id));
  if (unknown.length) throw fieldErrors({ groups: unknown.map((id) => `Invalid pk "${id}" - object does not exist.`) });
  return [...new Set(ids.filter((id) => known.some((g) => g.id === id && g.role === null)))];
}
