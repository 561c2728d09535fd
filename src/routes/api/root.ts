import { createRoute, z } from "@hono/zod-openapi";
import { type App, json } from "../../http/openapi";
import { ensureCsrfCookie } from "../site/csrf";

const route = createRoute({
  method: "get",
  path: "/",
  tags: ["API"],
  summary: "API root",
  description: "Public. Lists the API's resource roots and sets the `csrftoken` cookie.",
  responses: { 200: json(z.record(z.string(), z.string().url()), "Resource roots.") },
});

export const registerApiRoot = (app: App) =>
  app.openapi(route, (c) => {
    ensureCsrfCookie(c);
    const base = `${c.get("baseUrl")}/api/v1`;
    return c.json({ users: `${base}/users/`, groups: `${base}/groups/` }, 200);
  });
