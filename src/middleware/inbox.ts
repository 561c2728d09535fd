import { createMiddleware } from "hono/factory";
import { config } from "../config";
import type { AppEnv } from "../context";
import { badRequest, notFound } from "../errors";
import { WEBCHAT_NOT_WHATSAPP } from "../providers/provider";
import { inboxById, inboxOfHost } from "../services/inbox-cache";

/**
 * Finds the inbox an API request addresses: `/inboxes/{inboxId}/...` first, then a
 * hostname mapped to an inbox, then (bare `/api/v1/...` on one of the deployment's own
 * `API_HOSTS`) the first inbox of the first workspace, so a single-number deployment works
 * with the seed's URLs verbatim.
 */
export const resolveInbox = createMiddleware<AppEnv>(async (c, next) => {
  const db = c.get("db");
  const url = new URL(c.req.url);
  const pathId = c.req.param("inboxId");
  const inbox = pathId ? await inboxById(db, pathId) : await inboxOfHost(db, config(c.env).API_HOSTS, url.hostname);
  if (!inbox) throw notFound();
  if (inbox.provider === "webchat") throw badRequest(WEBCHAT_NOT_WHATSAPP);
  c.set("inbox", inbox);
  c.set("baseUrl", pathId ? `${url.origin}/inboxes/${inbox.id}` : url.origin);
  await next();
});
