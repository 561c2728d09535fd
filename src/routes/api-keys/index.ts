import { createRoute, z } from "@hono/zod-openapi";
import { deleteApiKey, listApiKeys } from "../../db/queries/api-keys";
import { notFound } from "../../errors";
import { bodyDoc, readBody } from "../../http/body";
import { type App, createApp, errorResponses, json } from "../../http/openapi";
import { requireUser } from "../../middleware/auth";
import { ApiKeyBody, ApiKeySchema, createApiKey, NewApiKeySchema, toApiKeyWire } from "../../services/api-keys";
import { PageQuery, page, paginated, paginatedSchema } from "../../services/pagination";
import { requireAdmin } from "../../services/permissions";

/**
 * Workspace API keys for workspace admins (`/api/v1/api_keys/`); the platform API has the
 * same operations per workspace (`src/routes/platform/api-keys.ts`).
 */
const list = createRoute({
  method: "get",
  path: "/api_keys/",
  tags: ["API keys"],
  summary: "List the workspace's API keys",
  description: "Admins. Newest first; the keys themselves are never shown again.",
  request: { query: PageQuery },
  responses: { 200: json(paginatedSchema(ApiKeySchema), "A page of keys."), ...errorResponses },
});
const create = createRoute({
  method: "post",
  path: "/api_keys/",
  tags: ["API keys"],
  summary: "Create an API key",
  description: "Admins. The answer carries the key and the contact webhook URL once.",
  request: { body: bodyDoc(ApiKeyBody) },
  responses: { 201: json(NewApiKeySchema, "The new key."), ...errorResponses },
});
const destroy = createRoute({
  method: "delete",
  path: "/api_keys/{id}/",
  tags: ["API keys"],
  summary: "Revoke an API key",
  description: "Admins. At once: the key and its webhook URL stop working.",
  request: { params: z.object({ id: z.string().max(100) }) },
  responses: { 204: { description: "Revoked." }, ...errorResponses },
});

export const apiKeys = createApp();
const register = (app: App) => {
  app.openapi(list, async (c) => {
    const user = requireUser(c);
    requireAdmin(user);
    const p = page(c.req.valid("query"));
    const { rows, count } = await listApiKeys(c.get("db"), user.workspaceId, p.limit, p.offset);
    return c.json(paginated(c.req.url, p, count, rows.map(toApiKeyWire)), 200);
  });
  app.openapi(create, async (c) => {
    const user = requireUser(c);
    requireAdmin(user);
    const { name } = await readBody(c, ApiKeyBody);
    return c.json(await createApiKey(c.env, c.get("db"), user.workspaceId, name, new URL(c.req.url).origin), 201);
  });
  app.openapi(destroy, async (c) => {
    const user = requireUser(c);
    requireAdmin(user);
    if (!(await deleteApiKey(c.get("db"), user.workspaceId, c.req.valid("param").id))) throw notFound();
    return c.body(null, 204);
  });
};
register(apiKeys);
