import { createRoute, z } from "@hono/zod-openapi";
import { groupsOfUsers } from "../../db/queries/users";
import { getWorkspace } from "../../db/queries/workspaces";
import { ROLES } from "../../db/schema";
import { fieldErrors, notFound } from "../../errors";
import { bodyDoc, readBody } from "../../http/body";
import { type App, errorResponses, json } from "../../http/openapi";
import { hashPassword, passwordProblems } from "../../services/passwords";
import { createUser, toUserWire, UserSchema } from "../../services/users";
import { Username } from "../users/schemas";
import { WorkspaceParams } from "./workspaces";

const CreatePlatformUserBody = z.object({
  username: Username,
  password: z.string().min(1).max(4096),
  email: z.union([z.literal(""), z.email("Enter a valid email address.")]).optional(),
  first_name: z.string().max(150).optional(),
  last_name: z.string().max(150).optional(),
  role: z.enum(ROLES).default("admin"),
});

const create = createRoute({
  method: "post",
  path: "/workspaces/{id}/users",
  tags: ["Platform"],
  summary: "Create a user (active at once)",
  description: "Bootstraps a workspace's first admin, or any user, with a password and no activation step.",
  request: { params: WorkspaceParams, body: bodyDoc(CreatePlatformUserBody) },
  responses: { 201: json(UserSchema, "The user, as `/api/v1/users/` shows it."), ...errorResponses },
});

export const registerPlatformUsers = (app: App) =>
  app.openapi(create, async (c) => {
    const { id } = c.req.valid("param");
    const db = c.get("db");
    if (!(await getWorkspace(db, id))) throw notFound();
    const body = await readBody(c, CreatePlatformUserBody);
    const problems = passwordProblems(body.password, body.username);
    if (problems.length) throw fieldErrors({ password: problems });
    const passwordHash = await hashPassword(body.password);
    const user = await createUser(db, id, body, body.role, { passwordHash, isActive: true });
    const groups = await groupsOfUsers(db, [user.id]);
    return c.json(toUserWire(user, groups.get(user.id) ?? [], new URL(c.req.url).origin), 201);
  });
