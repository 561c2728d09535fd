import { type Context, Hono } from "hono";
import { config } from "../config";
import type { AppEnv } from "../context";
import type { Inbox } from "../db/queries/inboxes";
import { ApiError, notFound } from "../errors";
import { INBOX_HEADER } from "../inbox/inbox-object";
import { inboxObject } from "../inbox/stub";
import { inboxById, inboxOfHost } from "../services/inbox-cache";

/**
 * WebSocket endpoints (seed: "Websockets"; the protocol is in `src/inbox/sockets.ts`):
 * `wss://websockets-{host}/` for the inbox that `{host}` addresses, `/ws/` (the
 * default inbox, as bare `/api/v1/`), `/inboxes/{inboxId}/ws/`, and an upgrade at `/`
 * of any host that addresses an inbox. The upgrade is accepted by the inbox's Durable
 * Object. Not REST, so not in `/openapi.json`: see the README.
 */
export const realtime = new Hono<AppEnv>();

const PREFIX = "websockets-";
const isUpgrade = (c: Context<AppEnv>) => c.req.header("upgrade")?.toLowerCase() === "websocket";

const addressed = (c: Context<AppEnv>, host: string) => inboxOfHost(c.get("db"), config(c.env).API_HOSTS, host);

async function upgrade(c: Context<AppEnv>, inbox: Inbox | undefined): Promise<Response> {
  if (!inbox) throw notFound();
  if (!isUpgrade(c)) {
    throw new ApiError(426, { detail: "This is a WebSocket endpoint: connect with Upgrade: websocket." }, { Upgrade: "websocket" });
  }
  const headers = new Headers(c.req.raw.headers);
  headers.set(INBOX_HEADER, inbox.id);
  return inboxObject(c.env, inbox.id).fetch(new Request(c.req.url, { headers }));
}

realtime.get("/", async (c) => {
  const host = new URL(c.req.url).hostname.toLowerCase();
  if (host.startsWith(PREFIX)) return upgrade(c, await addressed(c, host.slice(PREFIX.length)));
  // An upgrade at `/` is a socket for the inbox the host addresses; a plain GET is the web inbox.
  if (isUpgrade(c)) return upgrade(c, await addressed(c, host));
  return c.env.ASSETS.fetch(c.req.raw);
});
realtime.on("GET", ["/ws", "/ws/"], async (c) => upgrade(c, await addressed(c, new URL(c.req.url).hostname.toLowerCase())));
realtime.on("GET", ["/inboxes/:inboxId/ws", "/inboxes/:inboxId/ws/"], async (c) =>
  upgrade(c, await inboxById(c.get("db"), c.req.param("inboxId"))),
);
