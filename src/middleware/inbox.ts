import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../context";
import { findInboxForRequest, type Inbox } from "../db/queries/inboxes";
import { defaultWorkspaceId } from "../db/queries/workspaces";
import { notFound } from "../errors";

/**
 * Finds the inbox an API request addresses: `/inboxes/{inboxId}/...` first, then a
 * hostname mapped to an inbox, then (bare `/api/v1/...`) the first inbox of the first
 * workspace, so a single-number deployment works with the seed's URLs verbatim.
 */
export const resolveInbox = createMiddleware<AppEnv>(async (c, next) => {
  const db = c.get("db");
  const url = new URL(c.req.url);
  const pathId = c.req.param("inboxId");
  let inbox: Inbox | undefined;
  if (pathId) {
    inbox = await findInboxForRequest(db, { id: pathId });
  } else {
    inbox = await findInboxForRequest(db, { hostname: url.hostname });
    if (!inbox) {
      const workspaceId = await defaultWorkspaceId(db);
      inbox = workspaceId ? await findInboxForRequest(db, { workspaceId }) : undefined;
    }
  }
  if (!inbox) throw notFound();
  c.set("inbox", inbox);
  c.set("baseUrl", pathId ? `${url.origin}/inboxes/${inbox.id}` : url.origin);
  await next();
});
