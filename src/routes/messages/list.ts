import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { getCookie } from "hono/cookie";
import type { AppEnv } from "../../context";
import { setReceivedMark } from "../../db/queries/chats";
import { listMessages, SEARCH_COUNT_CAP } from "../../db/queries/messages";
import { type App, errorResponses, json } from "../../http/openapi";
import { requestScope } from "../../http/scope";
import { authMethod, CSRF_COOKIE, checkCsrf, requireUser } from "../../middleware/auth";
import { ChatFilterQuery, QueryBool, WaId } from "../../services/chat-scope";
import { MessageSchema } from "../../services/messages";
import { messageWires } from "../../services/pages";
import { PageQuery, page, paginated, paginatedSchema } from "../../services/pagination";

const Query = PageQuery.extend(ChatFilterQuery.shape).extend({
  wa_id: WaId.optional().openapi({ description: "WhatsApp id of the related contact." }),
  since_time: z.coerce.number().int().optional().openapi({ description: "POSIX timestamp: only messages at this time or newer." }),
  before_time: z.coerce.number().int().optional().openapi({ description: "POSIX timestamp: only messages older than this." }),
  mark_as_received: QueryBool.optional().openapi({ description: "Mark every returned message as received by you." }),
});

const base = {
  method: "get" as const,
  tags: ["Messages"],
  description: `Newest first (equal timestamps in arrival order). Only chats you may read. Paginate with \`before_time\` (stable while messages arrive) or \`limit\`/\`offset\`. A \`search\` with no other filter counts at most ${SEARCH_COUNT_CAP.toLocaleString("en")} hits: past that, \`count\` is ${SEARCH_COUNT_CAP.toLocaleString("en")} (or one more than the page's end when paging beyond it), and \`next\` leads on to the last hit.`,
  responses: { 200: json(paginatedSchema(MessageSchema), "A page of messages."), ...errorResponses },
};
const list = createRoute({ ...base, path: "/messages/", summary: "List messages", request: { query: Query } });
const ofContact = createRoute({
  ...base,
  path: "/messages/{wa_id}/",
  summary: "List a contact's messages",
  request: { query: Query, params: z.object({ wa_id: WaId }) },
});

async function handle(c: Context<AppEnv>, query: z.infer<typeof Query>, waId: string | undefined) {
  const user = requireUser(c);
  const db = c.get("db");
  const scope = {
    ...(await requestScope(c, query)),
    waId: waId ?? query.wa_id,
    sinceTime: query.since_time,
    beforeTime: query.before_time,
  };
  const p = page(query);
  const { rows, count } = await listMessages(db, scope, p.limit, p.offset);
  if (query.mark_as_received) {
    // A GET that writes: from a browser session it needs the CSRF token like any unsafe method.
    if (authMethod(c) === "session") checkCsrf(c.req.header("x-csrftoken"), getCookie(c, CSRF_COOKIE));
    const newest = new Map<string, number>();
    for (const r of rows) newest.set(r.wa_id, Math.max(newest.get(r.wa_id) ?? 0, r.timestamp));
    for (const [chat, ts] of newest) await setReceivedMark(db, user.id, scope.inboxId, chat, ts, true);
    for (const r of rows) r.mark = Math.max(r.mark ?? 0, newest.get(r.wa_id) ?? 0);
  }
  const results = await messageWires(db, user.workspaceId, rows, c.get("baseUrl"));
  return c.json(paginated(c.req.url, p, count, results), 200);
}

export const registerListMessages = (app: App) => {
  app.openapi(list, (c) => handle(c, c.req.valid("query"), undefined));
  app.openapi(ofContact, (c) => handle(c, c.req.valid("query"), c.req.valid("param").wa_id));
};
