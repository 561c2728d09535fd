import { createRoute, z } from "@hono/zod-openapi";
import { type App, errorResponses, IntId, json } from "../../http/openapi";
import { requireUser } from "../../middleware/auth";
import { loadTag } from "./load";
import { TagSchema, toTagWire } from "./schemas";

const route = createRoute({
  method: "get",
  path: "/tags/{id}/",
  tags: ["Tags"],
  summary: "Retrieve a tag",
  request: { params: z.object({ id: IntId }) },
  responses: { 200: json(TagSchema, "The tag."), ...errorResponses },
});

export const registerRetrieveTag = (app: App) =>
  app.openapi(route, async (c) => {
    requireUser(c);
    return c.json(toTagWire(await loadTag(c, c.req.valid("param").id)), 200);
  });
