import { createRoute, z } from "@hono/zod-openapi";
import { type App, errorResponses, IntId, json } from "../../http/openapi";
import { loadContactProvider } from "./load";
import { ContactProviderSchema, toContactProviderWire } from "./schemas";

const route = createRoute({
  method: "get",
  path: "/contact_providers/{id}/",
  tags: ["Contact providers"],
  summary: "Retrieve a contact provider",
  description: "Admins only.",
  request: { params: z.object({ id: IntId }) },
  responses: { 200: json(ContactProviderSchema, "The contact provider."), ...errorResponses },
});

export const registerRetrieveContactProvider = (app: App) =>
  app.openapi(route, async (c) => c.json(await toContactProviderWire(c.env, await loadContactProvider(c, c.req.valid("param").id)), 200));
