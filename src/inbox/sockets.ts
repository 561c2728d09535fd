import { z } from "zod";
import { createDb } from "../db/client";
import { userByTokenHash } from "../db/queries/credentials";
import { getUser, groupsOfUsers, type User } from "../db/queries/users";
import { eventJobs } from "../queues/jobs";
import { sha256Hex } from "../services/crypto";
import { inboxById } from "../services/inbox-cache";
import { publicBaseUrl } from "../services/inboxes";
import { type ChatFilter, chatAccess } from "../services/permissions";
import { loadFactsBatch, type Payload, payloadClass, type Receiver, webhookPayload } from "../webhooks/payloads";
import type { InboxEvent } from "./events";

/**
 * The inbox's WebSocket clients (seed: "Websockets"), on the hibernation API: a socket's
 * state lives in its attachment, so an idle connection costs nothing and survives the
 * object's eviction. The client's first frame is `{"token": "..."}`; after `success` it
 * gets every event of the inbox it may read as `{"type": "waba_webhook", "waba_payload"}`
 * (all kinds, whatever its webhook flags), plus the vendor web-inbox client's
 * `getchat_webhook` frames for the inbox's own events.
 */
export const AUTH_TIMEOUT_MS = 10_000;
const MAX_FRAME_BYTES = 65_536;
/** Keys of a payload that the vendor client reads from `getchat_webhook` frames. */
const GETCHAT_KEYS = ["outgoing_messages", "chat_assignment", "chat_tagging", "message_tagging", "chat_resolved"];

type Pending = { state: "pending"; openedAt: number };
type Open = { state: "open"; userId: number; role: User["role"]; groupIds: number[]; access: ChatFilter; viaToken: boolean };
type Attachment = Pending | Open;

const TokenFrame = z.object({ token: z.string().min(1).max(200) });

const frame = (type: string, fields: Record<string, unknown>) => JSON.stringify({ type, ...fields });
const badRequest = (message: string) => frame("response", { status: "bad_request", message });

export class Sockets {
  /** Broadcasts run one after another, so clients get events in inbox order. */
  private broadcasting: Promise<void> = Promise.resolve();
  /**
   * Attachments as read once per socket (deserializing on every event would cost a
   * structured clone per socket per event); rebuilt lazily after the object wakes.
   */
  private readonly states = new WeakMap<WebSocket, Attachment>();

  constructor(
    private readonly ctx: DurableObjectState,
    private readonly env: Env,
  ) {
    // Pings are answered by the runtime without waking the object.
    ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair("ping", "pong"));
  }

  /** Accepts an upgrade; the client has AUTH_TIMEOUT_MS to send its token. */
  accept(): Response {
    const { 0: client, 1: server } = new WebSocketPair();
    this.ctx.acceptWebSocket(server);
    this.save(server, { state: "pending", openedAt: Date.now() });
    return new Response(null, { status: 101, webSocket: client });
  }

  async message(ws: WebSocket, data: string | ArrayBuffer, inboxId: string | null): Promise<void> {
    const size = typeof data === "string" ? new TextEncoder().encode(data).byteLength : data.byteLength;
    if (size > MAX_FRAME_BYTES) {
      ws.close(1009, `Frames are limited to ${MAX_FRAME_BYTES} bytes.`);
      return;
    }
    const attachment = this.state(ws);
    if (attachment?.state === "open") {
      ws.send(badRequest("Already authenticated: the server sends events, clients send nothing more."));
      return;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(typeof data === "string" ? data : new TextDecoder().decode(data));
    } catch {
      ws.send(badRequest('Send a JSON object: {"token": "<your API token>"}.'));
      return;
    }
    const token = TokenFrame.safeParse(parsed);
    if (!token.success) {
      ws.send(badRequest('Expected {"token": "<your API token>"} (a JSON object with a string "token").'));
      return;
    }
    const user = inboxId ? await this.userOf(inboxId, token.data.token) : undefined;
    if (!user) {
      ws.send(frame("token", { status: "failed", message: "Invalid token." }));
      ws.close(1000, "Invalid token.");
      return;
    }
    this.save(ws, await this.openState(user, true));
    ws.send(frame("token", { status: "success", message: "Authenticated: events of this inbox follow." }));
  }

  private async userOf(inboxId: string, token: string): Promise<User | undefined> {
    const db = createDb(this.env);
    const [inbox, holder] = await Promise.all([inboxById(db, inboxId), userByTokenHash(db, await sha256Hex(token))]);
    const user = holder?.user;
    return inbox && user?.isActive && user.workspaceId === inbox.workspaceId ? user : undefined;
  }

  private async openState(user: User, viaToken: boolean): Promise<Open> {
    const groups = (await groupsOfUsers(createDb(this.env), [user.id])).get(user.id) ?? [];
    const groupIds = groups.map((g) => g.id);
    return { state: "open", userId: user.id, role: user.role, groupIds, access: chatAccess(user, groupIds, "read"), viaToken };
  }

  private state(ws: WebSocket): Attachment | null {
    let a = this.states.get(ws);
    if (!a) {
      a = (ws.deserializeAttachment() as Attachment | null) ?? undefined;
      if (a) this.states.set(ws, a);
    }
    return a ?? null;
  }

  /** Keeps a socket's state in its attachment (it survives hibernation) and in memory. */
  private save(ws: WebSocket, a: Attachment): void {
    ws.serializeAttachment(a);
    this.states.set(ws, a);
  }

  close(ws: WebSocket, code: number, reason: string): void {
    try {
      ws.close(code, reason);
    } catch {
      // Already closed.
    }
  }

  /** Closes sockets that never authenticated; true while some are still waiting. */
  expirePending(now = Date.now()): boolean {
    let waiting = false;
    for (const ws of this.ctx.getWebSockets()) {
      const a = this.state(ws);
      if (a?.state !== "pending") continue;
      if (now - a.openedAt >= AUTH_TIMEOUT_MS) this.close(ws, 1008, "No token within 10 seconds.");
      else waiting = true;
    }
    return waiting;
  }

  /**
   * A user's permissions, groups or activity changed (or their token was revoked): their
   * sockets take the new scope for the next event, or are closed.
   */
  async refresh(inboxId: string, userId: number, tokenRevoked: boolean): Promise<void> {
    const sockets = this.ctx.getWebSockets().filter((ws) => {
      const a = this.state(ws);
      return a?.state === "open" && a.userId === userId;
    });
    if (!sockets.length) return;
    const db = createDb(this.env);
    const inbox = await inboxById(db, inboxId);
    const user = inbox ? await getUser(db, inbox.workspaceId, userId) : undefined;
    for (const ws of sockets) {
      const a = this.state(ws) as Open;
      if (!user?.isActive) this.close(ws, 1008, "User inactive or deleted.");
      else if (tokenRevoked && a.viaToken) this.close(ws, 1008, "Token revoked.");
      else this.save(ws, await this.openState(user, a.viaToken));
    }
  }

  /** Queues a broadcast of ready events (in order, after the ones before). */
  broadcast(inboxId: string, events: InboxEvent[]): Promise<void> {
    // The write path drains through here: with no socket there is nothing to chain.
    if (!this.ctx.getWebSockets().length) return this.broadcasting;
    this.broadcasting = this.broadcasting
      .then(() => this.send(inboxId, events))
      .catch((e) => {
        console.error(JSON.stringify({ level: "error", inbox: inboxId, broadcast: String(e) }));
      });
    return this.broadcasting;
  }

  private async send(inboxId: string, events: InboxEvent[]): Promise<void> {
    const open = this.ctx.getWebSockets().flatMap((ws) => {
      const a = this.state(ws);
      return a?.state === "open" ? [{ ws, receiver: receiverOf(a) }] : [];
    });
    if (!open.length) return;
    const db = createDb(this.env);
    const inbox = await inboxById(db, inboxId);
    if (!inbox) return;
    const jobs = eventJobs(inboxId, events);
    const facts = await loadFactsBatch(db, inbox, publicBaseUrl(this.env, inbox), jobs);
    for (const job of jobs) {
      const f = facts.get(job.id);
      if (!f) continue;
      // One body per permission class, serialized once, however many sockets share it.
      const frames = new Map<string, string[] | null>();
      for (const { ws, receiver } of open) {
        const cls = payloadClass(f, receiver);
        if (cls === "none") continue;
        if (!frames.has(cls)) {
          const built = await webhookPayload(db, f, receiver, null);
          frames.set(cls, built ? framesOf(built.body) : null);
        }
        for (const text of frames.get(cls) ?? []) {
          try {
            ws.send(text);
          } catch {
            // A socket closing under us: its close handler cleans up.
          }
        }
      }
    }
  }
}

const receiverOf = (a: Open): Receiver => ({
  userId: a.userId,
  groupIds: a.groupIds,
  access: a.access,
  onIncoming: true,
  onOutgoing: true,
  onAssigned: true,
});

function framesOf(payload: Payload): string[] {
  const out = [frame("waba_webhook", { waba_payload: payload })];
  const own = Object.fromEntries(Object.entries(payload).filter(([k]) => GETCHAT_KEYS.includes(k)));
  if (Object.keys(own).length) out.push(frame("getchat_webhook", { waba_payload: own }));
  return out;
}
