import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../context";
import { createDb } from "../db/client";
import { ApiError } from "../errors";
import { UNSAFE } from "./auth";

/**
 * D1 read replication through the Sessions API. Each request's queries run in one session,
 * so they are sequentially consistent; the response's `x-d1-bookmark` names the database
 * state the request saw or made, and a client that sends it back on its next request reads
 * from a replica at least that recent: its own writes, wherever it reads from.
 *
 * Reads run in a session: from the bookmark sent, else at any replica. Writes run on the
 * primary without a session, so that everything they read, also after an inbox object
 * wrote (messages, tags, assignments go to D1 from there), is current; their bookmark is
 * taken from the primary once the handler is done, and covers every write the request
 * caused. Provider webhooks (WhatsApp, CRMs) have nobody reading back and get no bookmark.
 */
export const BOOKMARK_HEADER = "x-d1-bookmark";
// D1 bookmarks: three 8-digit hex counters and a 32-digit hash (fixed width, so they sort by age).
const BOOKMARK = /^[0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{32}$/;

export function d1Session(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (c.req.path.startsWith("/webhooks/")) {
      c.set("db", createDb(c.env.DB));
      return next();
    }
    const sent = c.req.header(BOOKMARK_HEADER);
    if (sent !== undefined && !BOOKMARK.test(sent)) {
      throw new ApiError(400, { detail: `${BOOKMARK_HEADER} must be the value of an earlier response's ${BOOKMARK_HEADER} header.` });
    }
    const session = UNSAFE.has(c.req.method) ? null : c.env.DB.withSession(sent ?? "first-unconstrained");
    // drizzle needs only prepare() and batch(), which a session has.
    c.set("db", createDb(session ? (session as unknown as D1Database) : c.env.DB));
    await next();
    let bookmark = session?.getBookmark();
    if (!session && c.res.status < 400) {
      const primary = c.env.DB.withSession("first-primary");
      await primary.prepare("SELECT 1").first();
      bookmark = primary.getBookmark();
    }
    if (!bookmark || c.res.status === 101) return;
    try {
      c.res.headers.set(BOOKMARK_HEADER, bookmark);
    } catch {
      // A response passed through from elsewhere (an inbox object, R2) has immutable headers.
      c.res = new Response(c.res.body, c.res);
      c.res.headers.set(BOOKMARK_HEADER, bookmark);
    }
  };
}
