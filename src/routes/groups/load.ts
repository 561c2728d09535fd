import type { Context } from "hono";
import type { AppEnv } from "../../context";
import { type Group, getGroup } from "../../db/queries/groups";
import { badRequest, notFound } from "../../errors";
import { pathId } from "../../http/openapi";

/** A group of the request's workspace by path id; non-numeric or foreign ids are 404s. */
export async function loadGroup(c: Context<AppEnv>, id: string): Promise<Group> {
  const group = await getGroup(c.get("db"), c.get("inbox").workspaceId, pathId(id));
  if (!group) throw notFound();
  return group;
}

/** The three role groups ("Admin", "Regular user", "App integration") are part of the permission model. */
export function requireCustom(group: Group): void {
  if (group.role !== null) throw badRequest("Built-in groups cannot be renamed or deleted.");
}
