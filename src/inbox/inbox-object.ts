import { DurableObject } from "cloudflare:workers";

/**
 * One object per inbox: the single writer that orders and dedupes the inbox's
 * messages and holds its WebSocket clients. Storage is its own SQLite, migrated here.
 */
export class InboxObject extends DurableObject<Env> {
  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    ctx.blockConcurrencyWhile(async () => {
      ctx.storage.sql.exec("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)");
    });
  }
}
