import type { Context } from "hono";
import type { AppEnv } from "../../context";
import { getSavedResponse, type SavedResponse } from "../../db/queries/saved-responses";
import { notFound } from "../../errors";
import { pathId } from "../../http/openapi";

/** A saved response of the request's workspace; foreign or unknown ids are 404s. */
export async function loadSavedResponse(c: Context<AppEnv>, id: string): Promise<SavedResponse> {
  const row = await getSavedResponse(c.get("db"), c.get("inbox").workspaceId, pathId(id));
  if (!row) throw notFound();
  return row;
}
