import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../context";
import { createDb, DIRECTORY, d1Binding, isD1Binding, openedBy, shardName } from "../db/client";
import { ApiError } from "../errors";
import { UNSAFE } from "./auth";

/**
 * D1 read replication through the Sessions API. Each request's queries run in one session
 * per database (the directory, the inbox's shard), so they are sequentially consistent; the
 * response's `x-d1-bookmark` names the state each database was seen or left in, and a client
 * that sends it back on its next request reads from replicas at least that recent: its own
 * writes, wherever it reads from.
 *
 * Reads run in sessions: from the bookmark sent for that database, else at any replica.
 * Writes run on the primaries without a session, so that everything they read, also after
 * an inbox object wrote (messages, tags, assignments go to the shard from there), is current;
 * their bookmarks are taken from the primaries once the handler is done (the directory, every
 * database the request opened and the inbox's shard), and cover every write the request
 * caused. Provider webhooks (WhatsApp, CRMs) have nobody reading back and get no bookmark.
 */
export const BOOKMARK_HEADER = "x-d1-bookmark";
// D1 bookmarks: three 8-digit hex counters and a 32-digit hash (fixed width, so they sort by age).
const BOOKMARK = /^[0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{32}$/;
const PAIR = /^([A-Z][A-Z0-9_]{0,62})=(.*)$/;
const MAX_PAIRS = 32;

/**
 * `DB=<bookmark>;SHARD_1=<bookmark>`: one D1 bookmark per database. A bare bookmark (what
 * clients from before shards hold) is the directory's. Null when the value is neither.
 */
export function parseBookmarks(value: string): Map<string, string> | null {
  if (BOOKMARK.test(value)) return new Map([[DIRECTORY, value]]);
  const parts = value.split(";");
  if (parts.length > MAX_PAIRS) return null;
  const out = new Map<string, string>();
  for (const part of parts) {
    const [, binding, bookmark] = PAIR.exec(part) ?? [];
    if (!binding || !bookmark || !BOOKMARK.test(bookmark)) return null;
    out.set(binding, bookmark);
  }
  return out;
}

const formatBookmarks = (bookmarks: Map<string, string>) =>
  [...bookmarks]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([binding, bookmark]) => `${binding}=${bookmark}`)
    .join(";");

/** Keeps the newer bookmark of each database (they sort by age). */
function advance(into: Map<string, string>, binding: string, bookmark: string | null) {
  const had = into.get(binding);
  if (bookmark && (!had || bookmark > had)) into.set(binding, bookmark);
}

export function d1Session(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (c.req.path.startsWith("/webhooks/")) {
      c.set("db", createDb(c.env));
      return next();
    }
    const sent = c.req.header(BOOKMARK_HEADER);
    const parsed = sent === undefined ? new Map<string, string>() : parseBookmarks(sent);
    if (!parsed) {
      throw new ApiError(400, { detail: `${BOOKMARK_HEADER} must be the value of an earlier response's ${BOOKMARK_HEADER} header.` });
    }
    // A database no longer bound is forgotten, not refused: the bookmark came from this API.
    const bookmarks = new Map([...parsed].filter(([binding]) => isD1Binding(c.env, binding)));
    const write = UNSAFE.has(c.req.method);
    const sessions = new Map<string, D1DatabaseSession>();
    const db = createDb(c.env, (binding) => {
      const d1 = d1Binding(c.env, binding);
      if (write) return d1;
      const session = d1.withSession(bookmarks.get(binding) ?? "first-unconstrained");
      sessions.set(binding, session);
      // drizzle needs only prepare() and batch(), which a session has.
      return session as unknown as D1Database;
    });
    c.set("db", db);
    await next();
    if (c.res.status === 101 || (write && c.res.status >= 400)) return;
    if (write) {
      const touched = new Set([DIRECTORY, ...openedBy(db).keys()]);
      const inbox = c.get("inbox");
      if (inbox) touched.add(await shardName(db, inbox.id));
      await Promise.all(
        [...touched].map(async (binding) => {
          const primary = d1Binding(c.env, binding).withSession("first-primary");
          await primary.prepare("SELECT 1").first();
          advance(bookmarks, binding, primary.getBookmark());
        }),
      );
    } else {
      for (const [binding, session] of sessions) advance(bookmarks, binding, session.getBookmark());
    }
    if (!bookmarks.size) return;
    const value = formatBookmarks(bookmarks);
    try {
      c.res.headers.set(BOOKMARK_HEADER, value);
    } catch {
      // A response passed through from elsewhere (an inbox object, R2) has immutable headers.
      c.res = new Response(c.res.body, c.res);
      c.res.headers.set(BOOKMARK_HEADER, value);
    }
  };
}
