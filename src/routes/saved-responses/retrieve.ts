import { createRoute, z } from "@hono/zod-openapi";
import { type App, errorResponses, IntId, json } from "../../http/openapi";
import { requireUser } from "../../middleware/auth";
import { loadSavedResponse } from "./load";
import { SavedResponseSchema, toSavedResponseWire } from "./schemas";

const route = createRoute({
  method: "get",
  path: "/saved_responses/{id}/",
  tags: ["Saved responses"],
  summary: "Retrieve a saved response",
  request: { params: z.object({ id: IntId }) },
  responses: { 200: json(SavedResponseSchema, "The saved response."), ...errorResponses },
});

export const registerRetrieveSavedResponse = (app: App) =>
  app.openapi(route, async (c) => {
    requireUser(c);
    return c.json(toSavedResponseWire(await loadSavedResponse(c, c.req.valid("param").id)), 200);
  });
