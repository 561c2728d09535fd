import { createRoute } from "@hono/zod-openapi";
import { listAssignmentEvents } from "../../db/queries/assignments";
import { type App, errorResponses, json } from "../../http/openapi";
import { requestScope } from "../../http/scope";
import { requireUser } from "../../middleware/auth";
import { HistoryQuery } from "../../services/chat-scope";
import { assignmentEventWire } from "../../services/history";
import { page, paginated, paginatedSchema } from "../../services/pagination";
import { loadPeople } from "../../services/people";
import { AssignmentEventSchema } from "./schemas";

const route = createRoute({
  method: "get",
  path: "/chat_assignment_events/",
  tags: ["Chats"],
  summary: "List chat assignment events",
  description: "Every assignment change, newest first, in chats you may read. `done_by` is null when the system acted.",
  request: { query: HistoryQuery },
  responses: { 200: json(paginatedSchema(AssignmentEventSchema), "A page of events."), ...errorResponses },
});

export const registerAssignmentEvents = (app: App) =>
  app.openapi(route, async (c) => {
    const user = requireUser(c);
    const query = c.req.valid("query");
    const db = c.get("db");
    const scope = await requestScope(c);
    const p = page(query);
    const { rows, count } = await listAssignmentEvents(
      db,
      scope,
      { waId: query.wa_id, sinceTime: query.since_time, beforeTime: query.before_time },
      p.limit,
      p.offset,
    );
    const people = await loadPeople(
      db,
      user.workspaceId,
      rows.flatMap((r) => [r.user_set, r.done_by]),
      rows.some((r) => r.group_set !== null),
    );
    const results = rows.map((r) => assignmentEventWire(r, people, c.get("baseUrl")));
    return c.json(paginated(c.req.url, p, count, results), 200);
  });
