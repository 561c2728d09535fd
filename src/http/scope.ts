import type { z } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { AppEnv } from "../context";
import type { ChatScope } from "../db/queries/chat-scope";
import { requireUser } from "../middleware/auth";
import { type ChatFilterQuery, chatScope } from "../services/chat-scope";

/** The chat scope of a request: its inbox and acting user, with the query's filters. */
export function requestScope(c: Context<AppEnv>, filters: z.infer<typeof ChatFilterQuery> = {}, groupIds?: number[]): Promise<ChatScope> {
  const principal = c.get("principal");
  const known = principal?.kind === "user" ? principal.groupIds : undefined;
  return chatScope(c.get("db"), { inboxId: c.get("inbox").id, user: requireUser(c), groupIds: groupIds ?? known }, filters);
}
