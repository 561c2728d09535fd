import { DurableObject } from "cloudflare:workers";
import { createDb, type Db, shardD1 } from "../db/client";
import { type ChangeSpec, changeStatements } from "../db/queries/change-writes";
import { getChatState } from "../db/queries/chats";
import { activeMemberIds } from "../db/queries/groups";
import type { MessageRow, StatusRow } from "../db/queries/ingest";
import { lastMessageId, orphanedMedia, purgeMessages, settleChat } from "../db/queries/purge";
import { getTagging, type TaggingKind, taggingOf, taggingsOfTag, tagsByIds } from "../db/queries/tags";
import type { AssignMethod } from "../db/schema";
import { meteredEnv, meteredSql } from "../meter";
import { enqueueEvents } from "../queues/jobs";
import { type Actor, type Assignment, type AssignmentRequest, decideAssignment } from "../services/assignment";
import { mediaKey } from "../services/media-fetch";
import { Ledger } from "./ledger";
import { AUTH_TIMEOUT_MS, Sockets } from "./sockets";
import { D1Writer } from "./writer";

/** The header carrying the inbox id on a forwarded WebSocket upgrade. */
export const INBOX_HEADER = "x-switchboard-inbox";

/** A message as the Worker hands it over: everything but its sequence number. */
export type IncomingMessage = Omit<MessageRow, "seq">;
export type IngestResult = { stored: string[]; duplicates: string[] };

export type TaggingRequest =
  | { action: "add"; kind: TaggingKind; waId: string; wamid: string | null; tagId: number; extra: unknown; doneBy: number | null }
  | { action: "remove"; kind: TaggingKind; taggingId: number; doneBy: number | null }
  /** A tag is being deleted: every tagging of it in this inbox is removed. */
  | { action: "remove_tag"; tagId: number; doneBy: number | null };
/** `taggingId`: the added tagging's id (adds only). */
export type TaggingOutcome = { ok: true; taggingId: number | null } | { ok: false; error: "unique" | "not_found" };

/** What a rule or a custom engine assigns: a user, or a group by a method. */
export type RuleTarget = { user: number } | { group: number; method: AssignMethod };

/** The rule engine acts as the system: no assignment rule limits it, and `done_by` is null. */
const SYSTEM: Actor = { id: null, isAdmin: true, groupIds: [] };

export type AssignmentOutcome =
  | { ok: true; assignment: Assignment }
  | { ok: false; error: "not_found" }
  | { ok: false; error: "forbidden"; reason: string };

/** A change before its event gives it an id and a sequence number. */
type Planned<T> = T extends ChangeSpec ? Omit<T, "eventId" | "seq"> : never;
type PlannedChange = Planned<ChangeSpec>;

/** Outbox rows, changes and events per alarm run or drain step. */
const OUTBOX_PER_ALARM = 500;
const CHANGES_PER_ALARM = 100;
const EVENTS_PER_SEND = 100;
/** A failed write is tried again this much later; any activity leaves a safety alarm this far out. */
const RETRY_MS = 5_000;
const SAFETY_MS = 60_000;
/** Statuses for ids never seen here are kept this long for their message, then dropped. */
const HELD_STATUS_MAX_AGE_MS = 7 * 86_400_000;
/** Passes of a chat purge over the messages it has at each pass's start. */
const PURGE_PASSES = 5;
/** Changes per D1 batch (two statements each). */
const CHANGES_PER_BATCH = 40;

/**
 * One object per inbox: the single writer that orders the inbox's messages, statuses and
 * changes, and the producer of its event stream. A thin router: the ledger (dedupe,
 * sequence, outbox, events) and the D1 writer do the work. Synchronously, before any
 * other I/O, a message is deduped and sequenced (an outbound one also kept in the
 * outbox); `ingest` answers only when its own messages are in D1 and their events on the
 * queue. Whatever a failed write or a restart leaves behind, the alarm finishes.
 */
export class InboxObject extends DurableObject<Env> {
  private readonly ledger: Ledger;
  private readonly writer: D1Writer;
  private readonly sockets: Sockets;
  private inboxId: string | null = null;
  /** Changes (taggings, assignments) run one at a time: each checks D1 and then writes it. */
  private serial: Promise<unknown> = Promise.resolve();
  private draining: Promise<void> | null = null;
  private drainAgain = false;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, meteredEnv(env));
    this.ledger = new Ledger(meteredSql(ctx.storage.sql, env), (work) => ctx.storage.transactionSync(work));
    this.sockets = new Sockets(ctx, this.env);
    this.writer = new D1Writer(
      async () => ({ shard: await this.shard(), directory: this.env.DB }),
      this.ledger,
      (rows, fresh) => this.landed(rows, fresh),
      () => this.inboxId,
      () => this.ensureAlarm(RETRY_MS),
    );
  }

  /** WebSocket upgrades, forwarded by the Worker with the inbox id (`src/routes/realtime.ts`). */
  override async fetch(request: Request): Promise<Response> {
    const inboxId = request.headers.get(INBOX_HEADER);
    if (request.headers.get("upgrade")?.toLowerCase() !== "websocket" || !inboxId) return new Response(null, { status: 400 });
    this.inboxId = this.ledger.inboxId(inboxId);
    const response = this.sockets.accept();
    await this.ensureAlarm(AUTH_TIMEOUT_MS);
    return response;
  }

  override async webSocketMessage(ws: WebSocket, message: string | ArrayBuffer): Promise<void> {
    await this.sockets.message(ws, message, this.ledger.inboxId());
  }

  override async webSocketClose(ws: WebSocket, code: number, reason: string): Promise<void> {
    // Reciprocate (1005/1006 are not codes one may send).
    this.sockets.close(ws, code === 1005 || code === 1006 ? 1000 : code, reason);
  }

  override async webSocketError(ws: WebSocket): Promise<void> {
    this.sockets.close(ws, 1011, "WebSocket error");
  }

  /** A user's token was revoked, or their permissions, groups or activity changed: their sockets follow. */
  refreshSockets(inboxId: string, userId: number, tokenRevoked: boolean): Promise<void> {
    return this.sockets.refresh(inboxId, userId, tokenRevoked);
  }

  /**
   * Stores a webhook's messages and statuses. The claim (dedupe against rows in flight,
   * sequence, held statuses) runs inside the writer's next group commit, so concurrent
   * webhooks share one storage transaction as they share one D1 batch; a claim waits for
   * nothing it would not wait for anyway, since its D1 write cannot start before the one
   * in flight ends. D1's write says which rows were new: the rest are duplicates.
   */
  async ingest(inboxId: string, messages: IncomingMessage[], statuses: StatusRow[]): Promise<IngestResult> {
    if (this.inboxId !== inboxId) this.inboxId = this.ledger.inboxId(inboxId);
    await this.ensureAlarm(SAFETY_MS);
    const claimed = { rows: [] as MessageRow[], duplicates: [] as string[], waits: [] as Promise<void>[] };
    const fresh = new Set<string>();
    await this.writer.commit(() => {
      const seenNow = new Set<string>();
      for (const m of messages) {
        const state = this.ledger.state(m.wamid);
        const inflight = this.writer.writing(m.wamid);
        if (seenNow.has(m.wamid) || state.kind === "stored" || state.kind === "dead" || inflight) {
          claimed.duplicates.push(m.wamid);
          if (inflight) claimed.waits.push(inflight);
        } else if (state.kind === "claimed") {
          // Claimed by a write that never landed: again, with its first sequence number.
          claimed.rows.push(this.ledger.claimed(m.wamid) ?? this.ledger.claim(m, state.seq));
        } else {
          claimed.rows.push(this.ledger.claim(m));
        }
        seenNow.add(m.wamid);
      }
      for (const s of statuses) this.ledger.holdStatus(s);
      return claimed.rows;
    }, fresh);
    // A duplicate is acknowledged only once the write carrying it landed (an alarm's rewrite).
    await Promise.all(claimed.waits);
    void this.drain();
    const result: IngestResult = { stored: [], duplicates: claimed.duplicates };
    for (const r of claimed.rows) (fresh.has(r.wamid) ? result.stored : result.duplicates).push(r.wamid);
    return result;
  }

  /**
   * Adds or removes taggings, with one event each. A message tagging also tags its chat
   * (when the chat lacks the tag). Answers after D1 has the change.
   */
  tagging(inboxId: string, request: TaggingRequest): Promise<TaggingOutcome> {
    return this.change(inboxId, async (db) => {
      const base = { doneBy: request.doneBy, timestamp: Math.floor(Date.now() / 1000) };
      const planned: Omit<Planned<ChangeSpec & { kind: TaggingKind }>, "tagName" | "tagColor">[] = [];
      if (request.action === "add") {
        const pair = { kind: request.kind, waId: request.waId, wamid: request.wamid, tagId: request.tagId };
        if (await taggingOf(db, inboxId, pair)) return { ok: false, error: "unique" };
        planned.push({ ...base, ...pair, action: "added", taggingId: null, extra: request.extra ?? null });
        if (request.kind === "message" && !(await taggingOf(db, inboxId, { ...pair, kind: "chat", wamid: null }))) {
          planned.push({ ...base, ...pair, kind: "chat", wamid: null, action: "added", taggingId: null, extra: null });
        }
      } else {
        const removed =
          request.action === "remove"
            ? [await getTagging(db, inboxId, request.kind, request.taggingId)].filter((t) => t !== undefined)
            : await taggingsOfTag(db, inboxId, request.tagId);
        if (!removed.length && request.action === "remove") return { ok: false, error: "not_found" };
        for (const { id, ...t } of removed) planned.push({ ...base, ...t, action: "removed", taggingId: id });
      }
      const named = await tagsByIds(db, [...new Set(planned.map((p) => p.tagId))]);
      await this.commitChanges(
        planned.map((p) => ({ ...p, tagName: named.get(p.tagId)?.name ?? "", tagColor: named.get(p.tagId)?.webInboxColor ?? null })),
      );
      const [added] = request.action === "add" ? planned : [];
      return { ok: true, taggingId: added ? ((await taggingOf(db, inboxId, added))?.id ?? null) : null };
    });
  }

  /**
   * Changes a chat's assignment under the seed's rules (`decideAssignment`), decided
   * against the chat as D1 has it now: one event when anything changed, none otherwise.
   */
  assignment(inboxId: string, waId: string, request: AssignmentRequest, actor: Actor): Promise<AssignmentOutcome> {
    return this.change(inboxId, (db) => this.assign(db, inboxId, waId, () => request, actor));
  }

  /**
   * The rule engine's assignment (default rules or a custom engine's answer), done by the
   * system (`done_by` null). `round_robin` takes the group's next active member after the
   * one it took last (the turn is kept here, by the inbox's one writer); a chat already
   * with that group and one of its members keeps them. `let_group_decide` sets the group
   * and clears the user.
   */
  ruleAssignment(inboxId: string, waId: string, target: RuleTarget): Promise<AssignmentOutcome> {
    return this.change(inboxId, async (db) =>
      this.assign(
        db,
        inboxId,
        waId,
        async (current) => {
          if ("user" in target) return { user: target.user };
          if (target.method === "let_group_decide") return { group: target.group, user: null };
          const members = await activeMemberIds(db, target.group);
          if (current.group === target.group && current.user !== null && members.includes(current.user)) return {};
          const user = this.ledger.nextInTurn(target.group, members);
          return { group: target.group, user };
        },
        SYSTEM,
      ),
    );
  }

  private async assign(
    db: Db,
    inboxId: string,
    waId: string,
    requestFor: (current: Assignment) => AssignmentRequest | Promise<AssignmentRequest>,
    actor: Actor,
  ): Promise<AssignmentOutcome> {
    const chat = await getChatState(db, inboxId, waId);
    if (!chat) return { ok: false, error: "not_found" };
    const current = { user: chat.assigned_to_user, group: chat.assigned_group };
    const decision = decideAssignment(current, await requestFor(current), actor);
    if (!decision.ok) return { ok: false, error: "forbidden", reason: decision.reason };
    const { next } = decision;
    if (decision.changed) {
      await this.commitChanges([
        {
          kind: "assignment",
          waId,
          user: next.user,
          group: next.group,
          userSet: next.user !== current.user ? next.user : null,
          userCleared: current.user !== null && next.user !== current.user,
          groupSet: next.group !== current.group ? next.group : null,
          groupCleared: current.group !== null && next.group !== current.group,
          doneBy: actor.id,
          timestamp: Math.floor(Date.now() / 1000),
        },
      ]);
    }
    return { ok: true, assignment: next };
  }

  /**
   * The hard delete of a chat (the contact webhook's `delete_contact`), as the inbox's
   * writer of changes: its messages in rounds, then the chat row; messages still arriving
   * after PURGE_PASSES passes are kept whole with their chat (counts recomputed), and media nothing
   * refers to any more goes. The ledger keeps every purged wamid, so a provider
   * redelivering a deleted message gets a duplicate's answer and nothing comes back. Null
   * when the inbox has no such chat; `kept`: messages arrived during the purge.
   */
  purgeChat(inboxId: string, waId: string): Promise<{ messages: number; kept: boolean } | null> {
    return this.change(inboxId, async (db) => {
      if (!(await getChatState(db, inboxId, waId))) return null;
      let messages = 0;
      const mediaIds = new Set<string>();
      // Passes up to the newest message at each pass's start: messages landing meanwhile go in
      // the next pass, and a number that never stops writing cannot keep the purge going.
      const shard = await this.shard();
      for (let pass = 0, upTo = await lastMessageId(shard, inboxId, waId); pass < PURGE_PASSES && upTo; pass++) {
        // Remembered before they go, so a redelivery of one is a duplicate (D1 no longer has it to say so).
        const remember = (wamids: string[]) => this.ledger.transaction(() => this.ledger.purged(wamids));
        for (let purged = await purgeMessages(shard, inboxId, waId, upTo, remember); purged.messages; ) {
          messages += purged.messages;
          for (const id of purged.mediaIds) mediaIds.add(id);
          purged = await purgeMessages(shard, inboxId, waId, upTo, remember);
        }
        upTo = await lastMessageId(shard, inboxId, waId);
      }
      const gone = await settleChat(shard, inboxId, waId);
      const orphans = await orphanedMedia(shard, inboxId, [...mediaIds]);
      if (orphans.length) await this.env.MEDIA.delete(orphans.map((id) => mediaKey(inboxId, id)));
      return { messages, kept: !gone };
    });
  }

  /** Marks a chat resolved or reopens it: one `chat_resolved` event when that changes it, none otherwise. */
  resolution(inboxId: string, waId: string, resolved: boolean, doneBy: number): Promise<{ ok: boolean }> {
    return this.change(inboxId, async (db) => {
      const chat = await getChatState(db, inboxId, waId);
      if (!chat) return { ok: false };
      if ((chat.resolved === 1) !== resolved) {
        await this.commitChanges([{ kind: "resolution", waId, resolved, doneBy, timestamp: Math.floor(Date.now() / 1000) }]);
      }
      return { ok: true };
    });
  }

  /**
   * Sandbox inboxes have no upstream: their sent messages are `sent`, `delivered` and
   * `read` a few seconds later, by alarm (alarms survive eviction; timers would not).
   */
  async simulateDelivery(inboxId: string, wamid: string, sentAt: number): Promise<void> {
    this.ledger.inboxId(inboxId);
    this.ledger.schedule(wamid, "sent", sentAt);
    this.ledger.schedule(wamid, "delivered", sentAt + 1);
    this.ledger.schedule(wamid, "read", sentAt + 3);
    await this.ctx.storage.setAlarm(Date.now() + 100);
  }

  /** Writes what the outbox, held statuses and unconfirmed changes still owe D1, due sandbox statuses, then events. */
  override async alarm(): Promise<void> {
    this.inboxId = this.ledger.inboxId();
    if (!this.inboxId) return;
    const socketsWaiting = this.sockets.expirePending();
    const nextDue = this.ledger.releaseDue(Math.floor(Date.now() / 1000));
    this.ledger.pruneStatuses(HELD_STATUS_MAX_AGE_MS);
    this.ledger.events.pruneSent();
    let failed = false;
    const owedRows = () => this.ledger.outbox(OUTBOX_PER_ALARM).filter((r) => !this.writer.writing(r.wamid));
    try {
      const rows = owedRows();
      if (rows.length) failed = !(await this.writer.recover(rows));
      if (this.ledger.hasApplicableStatuses()) await this.writer.commit(() => []);
      await this.serially(() => this.writeUnwritten());
    } catch (e) {
      failed = true;
      console.error(JSON.stringify({ level: "error", inbox: this.inboxId, alarm: String(e) }));
    }
    if (!(await this.drain())) failed = true;
    // Rows in flight are their writer's business; only what nobody is writing keeps the alarm busy.
    const owed =
      owedRows().length > 0 ||
      this.ledger.hasApplicableStatuses() ||
      this.ledger.events.hasReady() ||
      this.ledger.events.unwrittenChanges(1).length > 0;
    const times = [
      nextDue === null ? null : nextDue * 1000,
      owed ? Date.now() + (failed ? RETRY_MS : 100) : null,
      socketsWaiting ? Date.now() + 1_000 : null,
    ];
    const at = times.filter((t): t is number => t !== null);
    if (at.length) await this.ctx.storage.setAlarm(Math.max(Math.min(...at), failed ? Date.now() + RETRY_MS : 0));
  }

  /**
   * Runs a change (tagging, assignment) alone: each checks D1 and then writes it, so no
   * two interleave. Changes an earlier call could not confirm are written first, in
   * order, so a replay can never land on top of a newer change.
   */
  private change<T>(inboxId: string, work: (db: ReturnType<typeof createDb>) => Promise<T>): Promise<T> {
    return this.serially(async () => {
      this.inboxId = this.ledger.inboxId(inboxId);
      await this.writeUnwritten();
      return work(createDb(this.env));
    });
  }

  /** Gives planned changes their events (one storage transaction), writes them to D1, then drains. */
  private async commitChanges(planned: PlannedChange[]): Promise<void> {
    const specs = this.ledger.transaction(() => planned.map((p) => this.claimChange(p)));
    await this.ensureAlarm(SAFETY_MS);
    await this.writeChanges(specs);
    void this.drain();
  }

  /** Appends a change's event (ids only), keeping what its D1 write needs for a replay. */
  private claimChange(p: PlannedChange): ChangeSpec {
    const event =
      p.kind === "assignment"
        ? this.ledger.events.add("chat_assignment", { wa_id: p.waId, assigned_to_user: p.user, assigned_group: p.group }, { spec: p })
        : p.kind === "resolution"
          ? this.ledger.events.add(
              "chat_resolved",
              { wa_id: p.waId, resolved: p.resolved ? 1 : 0, done_by: p.doneBy, timestamp: p.timestamp },
              { spec: p },
            )
          : this.ledger.events.add(
              p.kind === "chat" ? "chat_tagging" : "message_tagging",
              { action: p.action, tag_id: p.tagId, wa_id: p.waId, tagging_id: p.taggingId, ...(p.wamid ? { wamid: p.wamid } : {}) },
              { spec: p },
            );
    return { ...p, eventId: event.id, seq: event.seq };
  }

  private async writeUnwritten(): Promise<void> {
    const owed = this.ledger.events.unwrittenChanges(CHANGES_PER_ALARM);
    await this.writeChanges(owed.map((c) => ({ ...(c.spec as PlannedChange), eventId: c.id, seq: c.seq })));
  }

  /** Writes changes (idempotent per event) and marks their events ready. */
  private async writeChanges(specs: ChangeSpec[]): Promise<void> {
    const inboxId = this.inboxId as string;
    const shard = specs.length ? await this.shard() : null;
    for (let i = 0; shard && i < specs.length; i += CHANGES_PER_BATCH) {
      const chunk = specs.slice(i, i + CHANGES_PER_BATCH);
      await shard.batch(chunk.flatMap((s) => changeStatements(shard, inboxId, s)));
      this.ledger.transaction(() => {
        for (const s of chunk) this.ledger.events.written(s.seq);
      });
    }
  }

  /**
   * Messages D1 now has (`fresh`: the ones it did not have before): their events go to
   * the queue (kept for the alarm if that send fails), the new ones' to the sockets too,
   * before any webhook is answered. A redelivered message's event is sent again, under the
   * same id: D1 may have it from a write whose event a restart cut off, and fan-out sends
   * what an event already delivered to nobody twice.
   */
  private async landed(rows: MessageRow[], fresh: Set<string>): Promise<void> {
    const inboxId = this.inboxId as string;
    const events = await this.ledger.events.ofMessages(inboxId, rows);
    let sent = true;
    try {
      await enqueueEvents(this.env, inboxId, events);
    } catch (e) {
      sent = false;
      console.error(JSON.stringify({ level: "error", inbox: inboxId, send: String(e) }));
    }
    this.ledger.transaction(() => {
      if (!sent) this.ledger.events.keepReady(events);
      this.ledger.stored(rows);
    });
    if (sent) {
      void this.sockets.broadcast(
        inboxId,
        events.filter((_, i) => fresh.has((rows[i] as MessageRow).wamid)),
      );
    } else await this.ensureAlarm(RETRY_MS);
  }

  /** The D1 binding that holds this inbox's traffic (`src/db/client.ts`; cached per isolate). */
  private shard(): Promise<D1Database> {
    if (!this.inboxId) throw new Error("inbox id unknown");
    return shardD1(this.env, this.inboxId);
  }

  private serially<T>(work: () => Promise<T>): Promise<T> {
    const run = this.serial.then(work, work);
    this.serial = run.catch(() => {});
    return run;
  }

  /**
   * Sends ready events to the queue in sequence order, one drain at a time (a call during
   * a drain makes it go round again). False if a send failed; the alarm tries again.
   */
  private drain(): Promise<boolean> {
    if (this.draining) {
      this.drainAgain = true;
      return this.draining.then(() => true);
    }
    let ok = true;
    this.draining = (async () => {
      await null; // yield first, so `draining` is assigned before the `finally` below clears it
      try {
        do {
          this.drainAgain = false;
          for (let ready = this.ledger.events.ready(EVENTS_PER_SEND); ready.length; ready = this.ledger.events.ready(EVENTS_PER_SEND)) {
            await enqueueEvents(this.env, this.inboxId as string, ready);
            this.ledger.events.sent(ready.map((e) => e.seq));
            void this.sockets.broadcast(this.inboxId as string, ready);
          }
        } while (this.drainAgain);
      } catch (e) {
        ok = false;
        console.error(JSON.stringify({ level: "error", inbox: this.inboxId, drain: String(e) }));
        await this.ensureAlarm(RETRY_MS);
      } finally {
        this.draining = null;
      }
    })();
    return this.draining.then(() => ok);
  }

  /** Makes sure an alarm fires within `ms` (never postpones an earlier one). */
  private async ensureAlarm(ms: number): Promise<void> {
    const current = await this.ctx.storage.getAlarm();
    if (current === null || current > Date.now() + ms) await this.ctx.storage.setAlarm(Date.now() + ms);
  }
}
