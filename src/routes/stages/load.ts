import type { Context } from "hono";
import type { AppEnv } from "../../context";
import { getStage, type Stage } from "../../db/queries/stages";
import { notFound } from "../../errors";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A stage of the request's workspace; a malformed, unknown or foreign id is the same 404. */
export async function loadStage(c: Context<AppEnv>, id: string): Promise<Stage> {
  if (!UUID.test(id)) throw notFound();
  // Ids are stored as crypto.randomUUID() writes them: lower case.
  const stage = await getStage(c.get("db"), c.get("inbox").workspaceId, id.toLowerCase());
  if (!stage) throw notFound();
  return stage;
}
