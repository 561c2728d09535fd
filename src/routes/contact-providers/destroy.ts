import { createRoute, z } from "@hono/zod-openapi";
import { deleteContactProvider } from "../../db/queries/contacts";
import { type App, errorResponses, IntId } from "../../http/openapi";
import { loadContactProvider } from "./load";

const route = createRoute({
  method: "delete",
  path: "/contact_providers/{id}/",
  tags: ["Contact providers"],
  summary: "Disconnect a contact provider",
  description: "Admins only. With the last one gone, the inbox falls back to the workspace's own book.",
  request: { params: z.object({ id: IntId }) },
  responses: { 204: { description: "Disconnected." }, ...errorResponses },
});

export const registerDestroyContactProvider = (app: App) =>
  app.openapi(route, async (c) => {
    const row = await loadContactProvider(c, c.req.valid("param").id);
    await deleteContactProvider(c.get("db"), row.inboxId, row.id);
    return c.body(null, 204);
  });
