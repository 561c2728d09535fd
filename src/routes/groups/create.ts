import { createRoute } from "@hono/zod-openapi";
import { saveGroup } from "../../db/queries/groups";
import { notFound } from "../../errors";
import { bodyDoc, readBody } from "../../http/body";
import { type App, errorResponses, json } from "../../http/openapi";
import { requireUser } from "../../middleware/auth";
import { requireAdmin } from "../../services/permissions";
import { GroupSchema } from "../../services/users";
import { GroupBody, toGroupWire, uniqueGroupName } from "./schemas";

const route = createRoute({
  method: "post",
  path: "/groups/",
  tags: ["Groups"],
  summary: "Create a group",
  description: 'Admins. A custom group (such as "Agents") for assignment; members are set through a user\'s `groups`.',
  request: { body: bodyDoc(GroupBody) },
  responses: { 201: json(GroupSchema, "The new group."), ...errorResponses },
});

export const registerCreateGroup = (app: App) =>
  app.openapi(route, async (c) => {
    requireAdmin(requireUser(c));
    const { name } = await readBody(c, GroupBody);
    const group = await uniqueGroupName(() => saveGroup(c.get("db"), c.get("inbox").workspaceId, null, name));
    if (!group) throw notFound();
    return c.json(toGroupWire(group), 201);
  });
