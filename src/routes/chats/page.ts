import type { z } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { AppEnv } from "../../context";
import { requestScope } from "../../http/scope";
import { requireUser } from "../../middleware/auth";
import type { ChatFilterQuery } from "../../services/chat-scope";
import { chatPage as page } from "../../services/pages";

/** One page of chats for the caller (the HTTP glue of `services/pages.ts`). */
export async function chatPage(
  c: Context<AppEnv>,
  query: z.infer<typeof ChatFilterQuery>,
  waId: string | undefined,
  limit: number,
  offset: number,
) {
  const scope = { ...(await requestScope(c, query)), waId };
  return page(c.get("db"), requireUser(c).workspaceId, scope, c.get("baseUrl"), limit, offset);
}
