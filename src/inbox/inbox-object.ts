import { DurableObject } from "cloudflare:workers";
import { type MessageRow, type StatusRow, writeStatements } from "../db/queries/ingest";
import { GroupCommit } from "./group-commit";
import { Ledger } from "./ledger";

/** A message as the Worker hands it over: everything but its sequence number. */
export type IncomingMessage = Omit<MessageRow, "seq" | "statuses">;
export type IngestResult = { stored: string[]; duplicates: string[] };

type Pending = { rows: MessageRow[]; statuses: StatusRow[] };

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
      rows.push({ ...m, seq, statuses: this.ledger.takeStatuses(m.wamid) });
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

  override async alarm(): Promise<void> {
    const inboxId = this.ledger.inboxId();
    const due = this.ledger.due(Math.floor(Date.now() / 1000));
    if (inboxId && due.length) {
      await this.ingest(
        inboxId,
        [],
        due.map((d) => ({ wamid: d.wamid, status: d.status, value: d.dueAt })),
      );
    }
    const next = this.ledger.unschedule(due);
    if (next !== null) await this.ctx.storage.setAlarm(next * 1000);
  }

  private async write(batch: Pending[]): Promise<void> {
    if (!this.inboxId) throw new Error("inbox id unknown");
    const rows = batch.flatMap((p) => p.rows);
    const statuses = batch.flatMap((p) => p.statuses);
    try {
      await this.env.DB.batch(writeStatements(this.env.DB, this.inboxId, rows, statuses));
    } catch (e) {
      // Nothing of this batch is in D1 (one transaction). Statuses of messages that are not
      // stored go (back) to the ledger, to be applied when the retried message is written.
      for (const r of rows) for (const [status, value] of Object.entries(r.statuses)) this.ledger.holdStatus(r.wamid, status, value);
      for (const s of statuses) if (this.ledger.state(s.wamid).kind !== "stored") this.ledger.holdStatus(s.wamid, s.status, s.value);
      throw e;
    }
    this.ledger.markStored(rows.map((r) => r.wamid));
  }
}
