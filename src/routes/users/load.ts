import type { Context } from "hono";
import type { AppEnv } from "../../context";
import { getUser, groupsOfUsers, type User } from "../../db/queries/users";
import { notFound } from "../../errors";
import { pathId } from "../../http/openapi";
import { toUserWire } from "../../services/users";

/** A user of the request's workspace by path id; non-numeric or foreign ids are 404s. */
export async function loadUser(c: Context<AppEnv>, id: string): Promise<User> {
  const user = await getUser(c.get("db"), c.get("inbox").workspaceId, pathId(id));
  if (!user) throw notFound();
  return user;
}

export async function userWire(c: Context<AppEnv>, user: User) {
  const groups = await groupsOfUsers(c.get("db"), [user.id]);
  return toUserWire(user, groups.get(user.id) ?? [], c.get("baseUrl"));
}
