import { createRoute, z } from "@hono/zod-openapi";
import { saveGroup } from "../../db/queries/groups";
import { notFound } from "../../errors";
import { bodyDoc, readBody } from "../../http/body";
import { type App, errorResponses, IntId, json } from "../../http/openapi";
import { requireUser } from "../../middleware/auth";
import { requireAdmin } from "../../services/permissions";
import { GroupSchema } from "../../services/users";
import { loadGroup, requireCustom } from "./load";
import { GroupBody, toGroupWire, uniqueGroupName } from "./schemas";

const route = createRoute({
  method: "patch",
  path: "/groups/{id}/",
  tags: ["Groups"],
  summary: "Rename a group",
  description: "Admins; custom groups only (built-in groups are a 400).",
  request: { params: z.object({ id: IntId }), body: bodyDoc(GroupBody.partial()) },
  responses: { 200: json(GroupSchema, "The group."), ...errorResponses },
});

export const registerUpdateGroup = (app: App) =>
  app.openapi(route, async (c) => {
    requireAdmin(requireUser(c));
    const group = await loadGroup(c, c.req.valid("param").id);
    const { name } = await readBody(c, GroupBody.partial());
    if (name === undefined) return c.json(toGroupWire(group), 200);
    requireCustom(group);
    const saved = await uniqueGroupName(() => saveGroup(c.get("db"), group.workspaceId, group.id, name));
    if (!saved) throw notFound(); // deleted meanwhile
    return c.json(toGroupWire(saved), 200);
  });
