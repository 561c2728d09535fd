import { DurableObject } from "cloudflare:workers";
import { type MessageRow, type StatusRow, writeStatements } from "../db/queries/ingest";
import { GroupCommit } from "./group-commit";
import { Ledger } from "./ledger";

/** A message as the Worker hands it over: everything but its sequence number. */
export type IncomingMessage = Omit<MessageRow, "seq" | "statuses">;
export type IngestResult = { stored: string[]; duplicates: string[] };

type Pending = { rows: MessageRow[]; statuses: StatusRow[] };

/** How soon a failed D1 write is tried again by alarm. */
const RETRY_MS = 5_000;

/**
 * One object per inbox: the single writer that orders and dedupes the inbox's
 * messages. Dedupe and sequencing happen synchronously in the object's SQLite before
 * any other I/O; messages then go to D1 through a group commit, and `ingest` answers
 * only when its own messages are durable there.
 */
export class InboxObject extends DurableObject<Env> {
  private readonly ledger: Ledger;
  /** wamid → the commit that is writing it, so a concurrent redelivery waits for the same write. */
  private readonly inflight = new Map<string, Promise<void>>();
  private inboxId: string | null = null;
  private readonly commit = new GroupCommit<Pending>((batch) => this.write(batch));

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.ledger = new Ledger(ctx.storage.sql);
  }

  async ingest(inboxId: string, messages: IncomingMessage[], statuses: StatusRow[]): Promise<IngestResult> {
    this.inboxId = this.ledger.inboxId(inboxId);
    const rows: MessageRow[] = [];
    const duplicates: string[] = [];
    const waits: Promise<void>[] = [];
    const claimedNow = new Set<string>();
    for (const m of messages) {
      const state = this.ledger.state(m.wamid);
      const inflight = this.inflight.get(m.wamid);
      if (state.kind === "stored" || claimedNow.has(m.wamid) || inflight) {
        duplicates.push(m.wamid);
        if (inflight) waits.push(inflight);
        continue;
      }
      const seq = this.ledger.claim(m.wamid, state.kind === "claimed" ? state.seq : undefined);
      claimedNow.add(m.wamid);
      rows.push({ ...m, seq, statuses: this.ledger.heldStatuses(m.wamid) });
    }
    const ready: StatusRow[] = [];
    for (const s of statuses) {
      // Applied now only if its message is in D1 or will be by a commit ahead of ours; otherwise held.
      if (claimedNow.has(s.wamid) || this.inflight.has(s.wamid) || this.ledger.state(s.wamid).kind === "stored") ready.push(s);
      else this.ledger.holdStatus(s.wamid, s.status, s.value);
    }
    if (rows.length || ready.length) {
      const done = this.commit.add([{ rows, statuses: ready }]);
      for (const r of rows) this.inflight.set(r.wamid, done);
      try {
        await done;
      } finally {
        for (const r of rows) if (this.inflight.get(r.wamid) === done) this.inflight.delete(r.wamid);
      }
    }
    await Promise.all(waits);
    return { stored: rows.map((r) => r.wamid), duplicates };
  }

  /**
   * Sandbox inboxes have no upstream: their sent messages are `delivered` and `read`
   * a few seconds later, by alarm (alarms survive eviction; timers would not).
   */
  async simulateDelivery(inboxId: string, wamid: string, sentAt: number): Promise<void> {
    this.ledger.inboxId(inboxId);
    this.ledger.schedule(wamid, "sent", sentAt);
    this.ledger.schedule(wamid, "delivered", sentAt + 1);
    this.ledger.schedule(wamid, "read", sentAt + 3);
    await this.ctx.storage.setAlarm(Date.now() + 100);
  }

  /** Sandbox statuses that are due, and rows whose D1 write failed: both retried until they land. */
  override async alarm(): Promise<void> {
    const inboxId = this.ledger.inboxId();
    if (inboxId) this.inboxId = inboxId;
    const due = this.ledger.due(Math.floor(Date.now() / 1000));
    let applied = false;
    try {
      const retry = this.ledger.outbox().map((r) => ({ ...r, statuses: this.ledger.heldStatuses(r.wamid) }));
      if (retry.length) await this.commit.add([{ rows: retry, statuses: [] }]);
      if (inboxId && due.length)
        await this.ingest(
          inboxId,
          [],
          due.map((d) => ({ wamid: d.wamid, status: d.status, value: d.dueAt })),
        );
      applied = true;
    } catch (e) {
      console.error(JSON.stringify({ level: "error", inbox: inboxId, alarm: String(e) }));
    }
    const next = this.ledger.unschedule(applied ? due : []);
    const times = [next === null ? null : next * 1000, this.ledger.outbox().length ? Date.now() + RETRY_MS : null];
    const at = times.filter((t): t is number => t !== null);
    if (at.length) await this.ctx.storage.setAlarm(Math.min(...at));
  }

  private async write(batch: Pending[]): Promise<void> {
    if (!this.inboxId) throw new Error("inbox id unknown");
    const rows = batch.flatMap((p) => p.rows);
    // Held statuses go in with their row and also as updates: if an earlier, seemingly failed
    // write did land, the insert is a no-op and the updates still apply (first value wins).
    const held = rows.flatMap((r) => Object.entries(r.statuses).map(([status, value]) => ({ wamid: r.wamid, status, value })));
    const statuses = batch.flatMap((p) => p.statuses);
    try {
      await this.env.DB.batch(writeStatements(this.env.DB, this.inboxId, rows, [...held, ...statuses]));
    } catch (e) {
      // Nothing of this batch is in D1 (one transaction). The rows wait in the outbox for the
      // alarm (nobody resends an outbound message); statuses of messages not yet stored wait
      // in the ledger for their message.
      this.ledger.keepForRetry(rows);
      for (const s of statuses) if (this.ledger.state(s.wamid).kind !== "stored") this.ledger.holdStatus(s.wamid, s.status, s.value);
      const alarm = await this.ctx.storage.getAlarm();
      if (alarm === null || alarm > Date.now() + RETRY_MS) await this.ctx.storage.setAlarm(Date.now() + RETRY_MS);
      throw e;
    }
    this.ledger.stored(rows.map((r) => r.wamid));
  }
}
