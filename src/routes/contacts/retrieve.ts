import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { AppEnv } from "../../context";
import { listChats } from "../../db/queries/chats";
import { type App, errorResponses, json } from "../../http/openapi";
import { requestScope } from "../../http/scope";
import { requireUser } from "../../middleware/auth";
import { WaId } from "../../services/chat-scope";
import { installedBooks, lookupContacts } from "../../services/contacts";
import { toContactWire } from "../../services/messages";
import { ContactLookupSchema, toContactResultWire } from "./schemas";

// The vendor's web-inbox client asks without the trailing slash (`GET /api/v1/contacts/4915...`): both answer.
const describe = (path: string) =>
  createRoute({
    method: "get",
    path,
    tags: ["Contacts"],
    summary: "Resolve a contact",
    description:
      "This inbox's person for the WhatsApp id (null when there is no chat you may read) and every contact provider's entries for the number. Asks each provider directly: use it sparingly. A provider that fails is named in `errors`. Also answered without the trailing slash, as the vendor's web client asks.",
    request: { params: z.object({ wa_id: WaId }) },
    responses: { 200: json(ContactLookupSchema, "The person and the providers' entries."), ...errorResponses },
  });

async function resolve(c: Context<AppEnv>, waId: string): Promise<z.infer<typeof ContactLookupSchema>> {
  const user = requireUser(c);
  const db = c.get("db");
  const [chats, sources] = await Promise.all([
    requestScope(c).then((scope) => listChats(db, { ...scope, waId }, 1, 0)),
    installedBooks(c.env, db, c.get("inbox"), user),
  ]);
  const found = await lookupContacts(sources, waId);
  const person = chats.rows[0] ? toContactWire(chats.rows[0]) : null;
  return { person, contact_provider_results: found.results.map(toContactResultWire), errors: found.errors };
}

export const registerRetrieveContact = (app: App) => {
  for (const path of ["/contacts/{wa_id}/", "/contacts/{wa_id}"]) {
    app.openapi(describe(path), async (c) => c.json(await resolve(c, c.req.valid("param").wa_id), 200));
  }
};
