import type { Context } from "hono";
import type { AppEnv } from "../../context";
import { type ContactProviderRow, getContactProvider } from "../../db/queries/contacts";
import { notFound } from "../../errors";
import { pathId } from "../../http/openapi";
import { requireUser } from "../../middleware/auth";
import { requireAdmin } from "../../services/permissions";

/** A contact provider of the request's inbox, for admins; others 403, malformed or foreign ids 404. */
export async function loadContactProvider(c: Context<AppEnv>, id: string): Promise<ContactProviderRow> {
  requireAdmin(requireUser(c));
  const row = await getContactProvider(c.get("db"), c.get("inbox").id, pathId(id));
  if (!row) throw notFound();
  return row;
}
