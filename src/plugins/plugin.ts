import type { z } from "zod";
import type { Db } from "../db/client";
import type { Inbox } from "../db/queries/inboxes";

/**
 * A plugin adds a capability to an inbox and may expose public, read-only data at
 * `GET /plugins/{type}/public/` (schemas, templates: nothing about users or customers).
 * A new plugin is one file implementing this, listed in `./index.ts`.
 */
export interface Plugin<C extends z.ZodType = z.ZodType> {
  type: string;
  description: string;
  /** What an admin passes as `config` when installing it. */
  config: C;
  /** The public data; `query` is the request's other query parameters. */
  publicData(context: { db: Db; inbox: Inbox; config: z.output<C>; query: Record<string, string> }): Promise<Record<string, unknown>>;
}

export const definePlugin = <C extends z.ZodType>(plugin: Plugin<C>): Plugin<C> => plugin;
