import { createRoute, z } from "@hono/zod-openapi";
import { type App, errorResponses, json } from "../../http/openapi";
import { WaId } from "../../services/chat-scope";
import { loadAssignment } from "./load";
import { AssignmentSchema } from "./schemas";

const route = createRoute({
  method: "get",
  path: "/chat_assignment/{wa_id}/",
  tags: ["Chats"],
  summary: "A chat's assignment",
  description: "Read access to the chat.",
  request: { params: z.object({ wa_id: WaId }) },
  responses: { 200: json(AssignmentSchema, "The assignment."), ...errorResponses },
});

export const registerRetrieveAssignment = (app: App) =>
  app.openapi(route, async (c) => c.json(await loadAssignment(c, c.req.valid("param").wa_id), 200));
