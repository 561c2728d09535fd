import { createRoute, z } from "@hono/zod-openapi";
import type { TaggingKind } from "../../db/queries/tags";
import { type App, errorResponses, IntId, json } from "../../http/openapi";
import { loadTagging } from "./load";
import { KINDS, taggingSchema, toTaggingWire } from "./schemas";

const describe = (kind: TaggingKind) =>
  createRoute({
    method: "get",
    path: `/${KINDS[kind].path}/{id}/`,
    tags: ["Tags"],
    summary: `Retrieve a ${kind} tagging`,
    request: { params: z.object({ id: IntId }) },
    responses: { 200: json(taggingSchema(kind), "The tagging."), ...errorResponses },
  });

export const registerRetrieveTagging = (app: App, kind: TaggingKind) =>
  app.openapi(describe(kind), async (c) => c.json(toTaggingWire(kind, await loadTagging(c, kind, c.req.valid("param").id)), 200));
