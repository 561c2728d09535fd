import { createRoute, z } from "@hono/zod-openapi";
import { getGroup } from "../../db/queries/groups";
import { getUser } from "../../db/queries/users";
import { fieldErrors, forbidden, notFound } from "../../errors";
import { bodyDoc, readBody } from "../../http/body";
import { type App, errorResponses, json } from "../../http/openapi";
import { inboxObject } from "../../inbox/stub";
import { requireUser } from "../../middleware/auth";
import { userGroupIds, WaId } from "../../services/chat-scope";
import { loadAssignment } from "./load";
import { AssignmentSchema, PatchAssignmentBody, PutAssignmentBody } from "./schemas";

const describe = (method: "put" | "patch") =>
  createRoute({
    method,
    path: "/chat_assignment/{wa_id}/",
    tags: ["Chats"],
    summary: method === "put" ? "Assign a chat" : "Change a chat's user or group",
    description:
      "Read access to the chat. Admins assign anything. Others assign a user only while nobody is assigned, clear only an assignment that is theirs, and set or clear only a group they belong to while none (or theirs) is set; otherwise 403. `null` clears. One change is one `chat_assignment` event; no change, no event.",
    request: { params: z.object({ wa_id: WaId }), body: bodyDoc(method === "put" ? PutAssignmentBody : PatchAssignmentBody) },
    responses: { 200: json(AssignmentSchema, "The assignment now."), ...errorResponses },
  });

export const registerUpdateAssignment = (app: App) => {
  for (const method of ["put", "patch"] as const) {
    app.openapi(describe(method), async (c) => {
      const user = requireUser(c);
      const { wa_id: waId } = c.req.valid("param");
      await loadAssignment(c, waId);
      const body = await readBody(c, method === "put" ? PutAssignmentBody : PatchAssignmentBody);
      const db = c.get("db");
      const { workspaceId, id: inboxId } = c.get("inbox");
      const invalid = (field: string, id: number) => fieldErrors({ [field]: [`Invalid pk "${id}" - object does not exist.`] });
      if (body.assigned_to_user) {
        const assignee = await getUser(db, workspaceId, body.assigned_to_user);
        if (!assignee?.isActive) throw invalid("assigned_to_user", body.assigned_to_user);
      }
      if (body.assigned_group && !(await getGroup(db, workspaceId, body.assigned_group)))
        throw invalid("assigned_group", body.assigned_group);
      const actor = { id: user.id, isAdmin: user.role === "admin", groupIds: await userGroupIds(db, user.id) };
      const outcome = await inboxObject(c.env, inboxId).assignment(
        inboxId,
        waId,
        { user: body.assigned_to_user, group: body.assigned_group },
        actor,
      );
      if (outcome.ok)
        return c.json({ wa_id: waId, assigned_to_user: outcome.assignment.user, assigned_group: outcome.assignment.group }, 200);
      if (outcome.error === "forbidden") throw forbidden(outcome.reason);
      throw notFound();
    });
  }
};
