import { createRoute, z } from "@hono/zod-openapi";
import { saveTag } from "../../db/queries/tags";
import { notFound } from "../../errors";
import { bodyDoc, readBody } from "../../http/body";
import { type App, errorResponses, IntId, json } from "../../http/openapi";
import { requireUser } from "../../middleware/auth";
import { requireTags } from "../../services/permissions";
import { loadTag } from "./load";
import { PatchTagBody, TagBody, TagSchema, toTagWire, uniqueTagName } from "./schemas";

const describe = (method: "put" | "patch") =>
  createRoute({
    method,
    path: "/tags/{id}/",
    tags: ["Tags"],
    summary: method === "put" ? "Replace a tag" : "Change a tag",
    description: "Needs `can_use_tags`. Taggings keep pointing at the tag; their history keeps the name it had.",
    request: { params: z.object({ id: IntId }), body: bodyDoc(method === "put" ? TagBody : PatchTagBody) },
    responses: { 200: json(TagSchema, "The tag."), ...errorResponses },
  });

export const registerUpdateTag = (app: App) => {
  for (const method of ["put", "patch"] as const) {
    app.openapi(describe(method), async (c) => {
      requireTags(requireUser(c));
      const tag = await loadTag(c, c.req.valid("param").id);
      const body = await readBody(c, method === "put" ? TagBody : PatchTagBody);
      const saved = await uniqueTagName(() =>
        saveTag(c.get("db"), tag.workspaceId, tag.id, {
          name: body.name ?? tag.name,
          webInboxColor: body.web_inbox_color === undefined ? (method === "put" ? null : tag.webInboxColor) : body.web_inbox_color,
        }),
      );
      if (!saved) throw notFound(); // deleted meanwhile
      return c.json(toTagWire(saved), 200);
    });
  }
};
