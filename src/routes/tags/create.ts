import { createRoute } from "@hono/zod-openapi";
import { saveTag } from "../../db/queries/tags";
import { notFound } from "../../errors";
import { bodyDoc, readBody } from "../../http/body";
import { type App, errorResponses, json } from "../../http/openapi";
import { requireUser } from "../../middleware/auth";
import { requireTags } from "../../services/permissions";
import { TagBody, TagSchema, toTagWire, uniqueTagName } from "./schemas";

const route = createRoute({
  method: "post",
  path: "/tags/",
  tags: ["Tags"],
  summary: "Create a tag",
  description: "Needs `can_use_tags`. Names are unique in the workspace regardless of case.",
  request: { body: bodyDoc(TagBody) },
  responses: { 201: json(TagSchema, "The new tag."), ...errorResponses },
});

export const registerCreateTag = (app: App) =>
  app.openapi(route, async (c) => {
    requireTags(requireUser(c));
    const body = await readBody(c, TagBody);
    const tag = await uniqueTagName(() =>
      saveTag(c.get("db"), c.get("inbox").workspaceId, null, { name: body.name, webInboxColor: body.web_inbox_color ?? null }),
    );
    if (!tag) throw notFound();
    return c.json(toTagWire(tag), 201);
  });
