import type { Context } from "hono";
import type { AppEnv } from "../../context";
import { type Group, getGroup } from "../../db/queries/groups";
import { badRequest, notFound } from "../../errors";

/** A group of the request's workspace by path id; non-numeric or foreign ids are 404s. */
export async function loadGroup(c: Context<AppEnv>, id: string): Promise<Group> {
  if (!/^\d{1,15}$/.test(id)) throw notFound();
  const group = await getGroup(c.get("db"), c.get("inbox").workspaceId, Number(id));
  if (!group) throw notFound();
  return group;
}

/** The three role groups ("Admin", "Regular user", "App integration") are part of the permission model. */
export function requireCustom(group: Group): void {
  if (group.role !== null) throw badRequest("Built-in groups cannot be renamed or deleted.");
}
