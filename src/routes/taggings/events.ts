import { createRoute, z } from "@hono/zod-openapi";
import { listTaggingEvents, type TaggingKind } from "../../db/queries/tags";
import { type App, errorResponses, json } from "../../http/openapi";
import { requestScope } from "../../http/scope";
import { requireUser } from "../../middleware/auth";
import { HistoryQuery } from "../../services/chat-scope";
import { taggingEventWire } from "../../services/history";
import { page, paginated, paginatedSchema } from "../../services/pagination";
import { loadPeople } from "../../services/people";
import { KINDS, taggingEventSchema } from "./schemas";

const MessageQuery = HistoryQuery.extend({
  message_id: z.string().max(200).optional().openapi({ description: "The message's WhatsApp id." }),
});
const queryOf = (kind: TaggingKind) => (kind === "message" ? MessageQuery : HistoryQuery);

const describe = (kind: TaggingKind) =>
  createRoute({
    method: "get",
    path: `/${KINDS[kind].path}_events/`,
    tags: ["Tags"],
    summary: `List ${kind} tagging events`,
    description: "Every tagging added or removed, newest first, in chats you may read. `done_by` is null when the system acted.",
    request: { query: queryOf(kind) },
    responses: { 200: json(paginatedSchema(taggingEventSchema(kind)), "A page of events."), ...errorResponses },
  });

export const registerTaggingEvents = (app: App, kind: TaggingKind) =>
  app.openapi(describe(kind), async (c) => {
    const user = requireUser(c);
    const query: z.infer<typeof MessageQuery> = c.req.valid("query");
    const db = c.get("db");
    const scope = await requestScope(c);
    const p = page(query);
    const { rows, count } = await listTaggingEvents(
      db,
      scope,
      { kind, wamid: query.message_id, waId: query.wa_id, sinceTime: query.since_time, beforeTime: query.before_time },
      p.limit,
      p.offset,
    );
    const people = await loadPeople(
      db,
      user.workspaceId,
      rows.map((r) => r.done_by),
      false,
    );
    const results = rows.map((r) => taggingEventWire(kind, r, people, c.get("baseUrl")));
    return c.json(paginated(c.req.url, p, count, results), 200);
  });
