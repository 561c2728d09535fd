import { DurableObject } from "cloudflare:workers";
import { type MessageRow, type StatusRow, writeStatements } from "../db/queries/ingest";
import { GroupCommit } from "./group-commit";
import { Ledger } from "./ledger";

/** A message as the Worker hands it over: everything but its sequence number. */
export type IncomingMessage = Omit<MessageRow, "seq">;
export type IngestResult = { stored: string[]; duplicates: string[] };

/** Rows per D1 batch, held statuses per write, outbox rows per alarm run. */
const ROWS_PER_BATCH = 100;
const STATUSES_PER_WRITE = 500;
const OUTBOX_PER_ALARM = 500;
/** A failed write is tried again this much later; any activity leaves a safety alarm this far out. */
const RETRY_MS = 5_000;
const SAFETY_MS = 60_000;
/** Failed writes of one outbox row before it is set aside in `outbox_dead`. */
const MAX_ATTEMPTS = 50;
/** Statuses for ids never seen here are kept this long for their message, then dropped. */
const HELD_STATUS_MAX_AGE_MS = 7 * 86_400_000;

/**
 * One object per inbox: the single writer that orders and dedupes the inbox's messages.
 * Synchronously, before any other I/O, a message is deduped, sequenced and kept in the
 * ledger's outbox; then a group commit writes it to D1, and `ingest` answers only when
 * its own messages are there. Whatever a failed write (or a restart) leaves in the
 * outbox, and any status not yet applied, the alarm writes later.
 */
export class InboxObject extends DurableObject<Env> {
  private readonly ledger: Ledger;
  /** wamid → the commit writing it, so a concurrent redelivery waits for that write. */
  private readonly inflight = new Map<string, Promise<void>>();
  private inboxId: string | null = null;
  private readonly commit = new GroupCommit<MessageRow>((rows) => this.write(rows));

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.ledger = new Ledger(ctx.storage.sql);
  }

  async ingest(inboxId: string, messages: IncomingMessage[], statuses: StatusRow[]): Promise<IngestResult> {
    const rows: MessageRow[] = [];
    const duplicates: string[] = [];
    const waits: Promise<void>[] = [];
    // One storage transaction: every claim and held status of this call, or none.
    this.ctx.storage.transactionSync(() => {
      this.inboxId = this.ledger.inboxId(inboxId);
      const seenNow = new Set<string>();
      for (const m of messages) {
        const state = this.ledger.state(m.wamid);
        const inflight = this.inflight.get(m.wamid);
        if (seenNow.has(m.wamid) || state.kind === "stored" || state.kind === "dead" || inflight) {
          duplicates.push(m.wamid);
          if (inflight) waits.push(inflight);
        } else if (state.kind === "claimed") {
          // Claimed by a write that failed: again, with its first sequence number.
          rows.push(this.ledger.claimed(m.wamid) ?? this.ledger.claim(m, state.seq));
        } else {
          rows.push(this.ledger.claim(m));
        }
        seenNow.add(m.wamid);
      }
      for (const s of statuses) this.ledger.holdStatus(s);
    });
    await this.ensureAlarm(SAFETY_MS);
    if (rows.length || statuses.length) await this.commitRows(rows);
    await Promise.all(waits);
    return { stored: rows.map((r) => r.wamid), duplicates };
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

  /** Writes what the outbox and the held statuses still owe D1, and due sandbox statuses. */
  override async alarm(): Promise<void> {
    this.inboxId = this.ledger.inboxId();
    if (!this.inboxId) return;
    const nextDue = this.ledger.releaseDue(Math.floor(Date.now() / 1000));
    this.ledger.pruneStatuses(HELD_STATUS_MAX_AGE_MS);
    let failed = false;
    const owedRows = () => this.ledger.outbox(OUTBOX_PER_ALARM).filter((r) => !this.inflight.has(r.wamid));
    try {
      const rows = owedRows();
      if (rows.length) failed = !(await this.recover(rows));
      if (this.ledger.hasApplicableStatuses()) await this.commitRows([]);
    } catch (e) {
      failed = true;
      console.error(JSON.stringify({ level: "error", inbox: this.inboxId, alarm: String(e) }));
    }
    // Rows in flight are their writer's business; only what nobody is writing keeps the alarm busy.
    const owed = owedRows().length > 0 || this.ledger.hasApplicableStatuses();
    const times = [nextDue === null ? null : nextDue * 1000, owed ? Date.now() + (failed ? RETRY_MS : 100) : null];
    const at = times.filter((t): t is number => t !== null);
    if (at.length) await this.ctx.storage.setAlarm(Math.max(Math.min(...at), failed ? Date.now() + RETRY_MS : 0));
  }

  /**
   * Writes outbox rows again, outside the group commit so live webhooks never share their
   * fate: in batches, and row by row when a batch fails, so one row D1 keeps refusing
   * cannot hold back the rest (after MAX_ATTEMPTS it is set aside). True if all landed.
   */
  private async recover(rows: MessageRow[]): Promise<boolean> {
    const inboxId = this.inboxId as string;
    let all = true;
    const attempt = async (batch: MessageRow[]) => {
      await this.env.DB.batch(writeStatements(this.env.DB, inboxId, batch, []));
      this.ledger.stored(batch.map((r) => r.wamid));
    };
    const work = (async () => {
      for (let i = 0; i < rows.length; i += ROWS_PER_BATCH) {
        const chunk = rows.slice(i, i + ROWS_PER_BATCH);
        try {
          await attempt(chunk);
          continue;
        } catch {
          // find the row (or rows) at fault
        }
        for (const row of chunk) {
          try {
            await attempt([row]);
          } catch (e) {
            all = false;
            if (this.ledger.failed(row.wamid, String(e), MAX_ATTEMPTS)) {
              console.error(JSON.stringify({ level: "error", inbox: inboxId, wamid: row.wamid, setAside: String(e) }));
            }
          }
        }
      }
    })();
    for (const r of rows) this.inflight.set(r.wamid, work);
    try {
      await work;
    } finally {
      for (const r of rows) if (this.inflight.get(r.wamid) === work) this.inflight.delete(r.wamid);
    }
    return all;
  }

  private async commitRows(rows: MessageRow[]): Promise<void> {
    const done = this.commit.add(rows);
    for (const r of rows) this.inflight.set(r.wamid, done);
    try {
      await done;
    } finally {
      for (const r of rows) if (this.inflight.get(r.wamid) === done) this.inflight.delete(r.wamid);
    }
  }

  /**
   * One group commit: rows in D1 batches (each one transaction), then the held statuses
   * whose messages are now stored. Only what D1 confirmed leaves the ledger; on any
   * failure the rest stays, the alarm retries, and the callers see the error.
   */
  private async write(rows: MessageRow[]): Promise<void> {
    const inboxId = this.inboxId;
    if (!inboxId) throw new Error("inbox id unknown");
    let failure: unknown;
    for (let i = 0; i < rows.length; i += ROWS_PER_BATCH) {
      const chunk = rows.slice(i, i + ROWS_PER_BATCH);
      try {
        await this.env.DB.batch(writeStatements(this.env.DB, inboxId, chunk, []));
        this.ledger.stored(chunk.map((r) => r.wamid));
      } catch (e) {
        failure ??= e;
      }
    }
    const statuses = this.ledger.applicableStatuses([], STATUSES_PER_WRITE);
    if (statuses.length) {
      try {
        await this.env.DB.batch(writeStatements(this.env.DB, inboxId, [], statuses));
        this.ledger.applied(statuses);
      } catch (e) {
        failure ??= e;
      }
    }
    if (failure) {
      await this.ensureAlarm(RETRY_MS);
      throw failure;
    }
    // Statuses that arrived while their message's write was in flight are applicable now.
    if (statuses.length === STATUSES_PER_WRITE || this.ledger.hasApplicableStatuses()) void this.commit.add([]).catch(() => {});
  }

  /** Makes sure an alarm fires within `ms` (never postpones an earlier one). */
  private async ensureAlarm(ms: number): Promise<void> {
    const current = await this.ctx.storage.getAlarm();
    if (current === null || current > Date.now() + ms) await this.ctx.storage.setAlarm(Date.now() + ms);
  }
}
