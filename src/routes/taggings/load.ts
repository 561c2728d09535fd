import type { Context } from "hono";
import type { AppEnv } from "../../context";
import { readableChat } from "../../db/queries/chats";
import type { TaggingKind } from "../../db/queries/tags";
import { getTagging, type Tagging } from "../../db/queries/tags";
import { notFound } from "../../errors";
import { pathId } from "../../http/openapi";
import { requestScope } from "../../http/scope";
import { requireUser } from "../../middleware/auth";
import { requireTags } from "../../services/permissions";

/** A tagging of the inbox by path id, in a chat the caller may read; anything else is a 404. */
export async function loadTagging(c: Context<AppEnv>, kind: TaggingKind, id: string): Promise<Tagging> {
  const user = requireUser(c);
  requireTags(user);
  const db = c.get("db");
  const tagging = await getTagging(db, c.get("inbox").id, kind, pathId(id));
  if (!tagging || !(await readableChat(db, await requestScope(c), tagging.waId))) throw notFound();
  return tagging;
}
