import type { Context } from "hono";
import type { AppEnv } from "../../context";
import { getWebhook, type WebhookWithUser } from "../../db/queries/webhooks";
import { notFound } from "../../errors";
import { pathId } from "../../http/openapi";
import { requireUser } from "../../middleware/auth";

/** Admins see every webhook of the inbox; others only their own (anyone else's id is a 404). */
export const ownerFilter = (c: Context<AppEnv>) => {
  const user = requireUser(c);
  return user.role === "admin" ? null : user.id;
};

export async function loadWebhook(c: Context<AppEnv>, id: string): Promise<WebhookWithUser> {
  const hook = await getWebhook(c.get("db"), c.get("inbox").id, pathId(id), ownerFilter(c));
  if (!hook) throw notFound();
  return hook;
}
