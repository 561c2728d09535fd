import { createRoute, z } from "@hono/zod-openapi";
import { type App, json, PUBLIC } from "../../http/openapi";
import { ensureCsrfCookie } from "../site/csrf";

const route = createRoute({
  method: "get",
  path: "/",
  tags: ["API"],
  summary: "API root",
  ...PUBLIC,
  description: "Public. Lists the API's resource roots and sets the `csrftoken` cookie.",
  responses: { 200: json(z.record(z.string(), z.string().url()), "Resource roots.") },
});

export const registerApiRoot = (app: App) =>
  app.openapi(route, (c) => {
    ensureCsrfCookie(c);
    const base = `${c.get("baseUrl")}/api/v1`;
    const roots = [
      "users",
      "groups",
      "chats",
      "messages",
      "persons",
      "mark_as_received",
      "media",
      "tags",
      "chat_tagging",
      "message_tagging",
      "chat_tagging_events",
      "message_tagging_events",
      "chat_assignment_events",
      "webhooks/waba",
      "rule_engine",
      "rule_engine/rules",
      "saved_responses",
    ];
    return c.json(Object.fromEntries(roots.map((r) => [r, `${base}/${r}/`])), 200);
  });
