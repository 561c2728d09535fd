import type { Context } from "hono";
import type { AppEnv } from "../../context";
import { getTag, type Tag } from "../../db/queries/tags";
import { notFound } from "../../errors";
import { pathId } from "../../http/openapi";

/** A tag of the request's workspace by path id; non-numeric or foreign ids are 404s. */
export async function loadTag(c: Context<AppEnv>, id: string): Promise<Tag> {
  const tag = await getTag(c.get("db"), c.get("inbox").workspaceId, pathId(id));
  if (!tag) throw notFound();
  return tag;
}
