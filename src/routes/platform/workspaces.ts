import { createRoute, z } from "@hono/zod-openapi";
import { createWorkspace, getWorkspace, listWorkspaces, type Workspace } from "../../db/queries/workspaces";
import { notFound } from "../../errors";
import { bodyDoc, readBody } from "../../http/body";
import { type App, errorResponses, json } from "../../http/openapi";
import { PageQuery, page, paginated, paginatedSchema } from "../../services/pagination";

export const WorkspaceSchema = z.object({ id: z.string(), name: z.string(), created_at: z.number().int() }).openapi("Workspace");
const CreateWorkspaceBody = z.object({ name: z.string().trim().min(1).max(200) });
export const WorkspaceParams = z.object({ id: z.string().openapi({ param: { name: "id", in: "path" } }) });

const toWire = (w: Workspace) => ({ id: w.id, name: w.name, created_at: w.createdAt });

const create = createRoute({
  method: "post",
  path: "/workspaces",
  tags: ["Platform"],
  summary: "Create a workspace",
  request: { body: bodyDoc(CreateWorkspaceBody) },
  responses: { 201: json(WorkspaceSchema, "The workspace."), ...errorResponses },
});

const list = createRoute({
  method: "get",
  path: "/workspaces",
  tags: ["Platform"],
  summary: "List workspaces",
  request: { query: PageQuery },
  responses: { 200: json(paginatedSchema(WorkspaceSchema), "A page of workspaces, oldest first."), ...errorResponses },
});

const retrieve = createRoute({
  method: "get",
  path: "/workspaces/{id}",
  tags: ["Platform"],
  summary: "Retrieve a workspace",
  request: { params: WorkspaceParams },
  responses: { 200: json(WorkspaceSchema, "The workspace."), ...errorResponses },
});

export const registerWorkspaces = (app: App) => {
  app.openapi(create, async (c) => {
    const { name } = await readBody(c, CreateWorkspaceBody);
    return c.json(toWire(await createWorkspace(c.get("db"), name)), 201);
  });
  app.openapi(list, async (c) => {
    const p = page(c.req.valid("query"));
    const { rows, count } = await listWorkspaces(c.get("db"), p.limit, p.offset);
    return c.json(paginated(c.req.url, p, count, rows.map(toWire)), 200);
  });
  app.openapi(retrieve, async (c) => {
    const workspace = await getWorkspace(c.get("db"), c.req.valid("param").id);
    if (!workspace) throw notFound();
    return c.json(toWire(workspace), 200);
  });
};
