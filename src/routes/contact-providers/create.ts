import { createRoute } from "@hono/zod-openapi";
import { storeContactProviderConfig } from "../../contacts/config";
import { insertContactProvider } from "../../db/queries/contacts";
import { bodyDoc, readBody } from "../../http/body";
import { type App, errorResponses, json } from "../../http/openapi";
import { requireUser } from "../../middleware/auth";
import { requireAdmin } from "../../services/permissions";
import { ContactProviderSchema, CreateContactProviderBody, toContactProviderWire } from "./schemas";

const route = createRoute({
  method: "post",
  path: "/contact_providers/",
  tags: ["Contact providers"],
  summary: "Connect a contact provider",
  description:
    "Admins only. `switchboard`: the workspace's own book (no config). `http`: a JSON directory, `config: {url, token?}`, called as `GET {url}?search=&limit=&page=` and `GET {url}?phone_number=` with `Authorization: Bearer <token>`. Secrets are never returned.",
  request: { body: bodyDoc(CreateContactProviderBody) },
  responses: { 201: json(ContactProviderSchema, "The new contact provider."), ...errorResponses },
});

export const registerCreateContactProvider = (app: App) =>
  app.openapi(route, async (c) => {
    requireAdmin(requireUser(c));
    const body = await readBody(c, CreateContactProviderBody);
    const stored = await storeContactProviderConfig(c.env, body.type, body.config);
    const row = await insertContactProvider(c.get("db"), { inboxId: c.get("inbox").id, type: body.type, name: body.name, ...stored });
    return c.json(await toContactProviderWire(c.env, row), 201);
  });
