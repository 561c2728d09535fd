import { createRoute, z } from "@hono/zod-openapi";
import { CONTACT_PROVIDER_TYPES, contactProviderSecrets, storeContactProviderConfig } from "../../contacts/config";
import { updateContactProvider } from "../../db/queries/contacts";
import { notFound } from "../../errors";
import { bodyDoc, readBody } from "../../http/body";
import { type App, errorResponses, IntId, json } from "../../http/openapi";
import { readableSecrets } from "../../services/secrets";
import { loadContactProvider } from "./load";
import { ContactProviderSchema, toContactProviderWire, UpdateContactProviderBody } from "./schemas";

const route = createRoute({
  method: "patch",
  path: "/contact_providers/{id}/",
  tags: ["Contact providers"],
  summary: "Update a contact provider",
  description:
    "Admins only. `config` is merged over the current one (secrets included; a field set to null is removed); a new `type` starts from an empty config.",
  request: { params: z.object({ id: IntId }), body: bodyDoc(UpdateContactProviderBody) },
  responses: { 200: json(ContactProviderSchema, "The contact provider."), ...errorResponses },
});

export const registerUpdateContactProvider = (app: App) =>
  app.openapi(route, async (c) => {
    const current = await loadContactProvider(c, c.req.valid("param").id);
    const body = await readBody(c, UpdateContactProviderBody);
    const type = body.type ?? z.enum(CONTACT_PROVIDER_TYPES).parse(current.type);
    let stored = {};
    if (body.type !== undefined || body.config !== undefined) {
      const base = type === current.type ? { ...current.config, ...(await readableSecrets(contactProviderSecrets(c.env, current))) } : {};
      stored = await storeContactProviderConfig(c.env, type, { ...base, ...body.config });
    }
    const row = await updateContactProvider(c.get("db"), current.inboxId, current.id, { type, name: body.name, ...stored });
    if (!row) throw notFound();
    return c.json(await toContactProviderWire(c.env, row), 200);
  });
