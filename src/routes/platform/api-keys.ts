import { createRoute, z } from "@hono/zod-openapi";
import { deleteApiKey, listApiKeys } from "../../db/queries/api-keys";
import { getWorkspace } from "../../db/queries/workspaces";
import { notFound } from "../../errors";
import { bodyDoc, readBody } from "../../http/body";
import { type App, errorResponses, json } from "../../http/openapi";
import { ApiKeyBody, ApiKeySchema, createApiKey, NewApiKeySchema, toApiKeyWire } from "../../services/api-keys";
import { PageQuery, page, paginated, paginatedSchema } from "../../services/pagination";
import { WorkspaceParams } from "./workspaces";

const create = createRoute({
  method: "post",
  path: "/workspaces/{id}/api_keys",
  tags: ["Platform"],
  summary: "Create a workspace API key",
  description: "The key and the contact webhook URL are in this answer only.",
  request: { params: WorkspaceParams, body: bodyDoc(ApiKeyBody) },
  responses: { 201: json(NewApiKeySchema, "The new key."), ...errorResponses },
});
const list = createRoute({
  method: "get",
  path: "/workspaces/{id}/api_keys",
  tags: ["Platform"],
  summary: "List a workspace's API keys",
  request: { params: WorkspaceParams, query: PageQuery },
  responses: { 200: json(paginatedSchema(ApiKeySchema), "A page of keys."), ...errorResponses },
});
const destroy = createRoute({
  method: "delete",
  path: "/workspaces/{id}/api_keys/{keyId}",
  tags: ["Platform"],
  summary: "Revoke a workspace API key",
  request: { params: WorkspaceParams.extend({ keyId: z.string().max(100) }) },
  responses: { 204: { description: "Revoked." }, ...errorResponses },
});

export const registerPlatformApiKeys = (app: App) => {
  app.openapi(create, async (c) => {
    const { id } = c.req.valid("param");
    if (!(await getWorkspace(c.get("db"), id))) throw notFound();
    const { name } = await readBody(c, ApiKeyBody);
    return c.json(await createApiKey(c.env, c.get("db"), id, name, new URL(c.req.url).origin), 201);
  });
  app.openapi(list, async (c) => {
    const { id } = c.req.valid("param");
    if (!(await getWorkspace(c.get("db"), id))) throw notFound();
    const p = page(c.req.valid("query"));
    const { rows, count } = await listApiKeys(c.get("db"), id, p.limit, p.offset);
    return c.json(paginated(c.req.url, p, count, rows.map(toApiKeyWire)), 200);
  });
  app.openapi(destroy, async (c) => {
    const { id, keyId } = c.req.valid("param");
    if (!(await deleteApiKey(c.get("db"), id, keyId))) throw notFound();
    return c.body(null, 204);
  });
};
