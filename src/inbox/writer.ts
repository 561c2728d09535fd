import { contactStatements, type MessageRow, type StatusRow, writeStatements } from "../db/queries/ingest";
import { GroupCommit } from "./group-commit";
import type { Ledger } from "./ledger";

/** Rows per D1 batch, held statuses per write. */
const ROWS_PER_BATCH = 100;
const STATUSES_PER_WRITE = 500;
/** Failed writes of one outbox row before it is set aside in `outbox_dead`. */
const MAX_ATTEMPTS = 50;

/** Claims rows in the object's storage (synchronously, inside the commit's storage transaction) and returns them. */
export type Claim = () => MessageRow[];

/**
 * The inbox object's writer to D1: live rows through a group commit (concurrent webhooks
 * share one storage transaction for their claims and one D1 round trip for their rows),
 * outbox rows again by alarm, and the bookkeeping of which rows are being written, so a
 * redelivery meeting an alarm's rewrite of its row is acknowledged only if that landed.
 */
export class D1Writer {
  /** wamid → settles when the write carrying that row succeeds (resolves) or fails (rejects). */
  private readonly inflight = new Map<string, Promise<void>>();
  private readonly group = new GroupCommit<Claim>((claims) => this.write(claims));

  constructor(
    private readonly databases: () => Promise<{ shard: D1Database; directory: D1Database }>,
    private readonly ledger: Ledger,
    private readonly inboxId: () => string | null,
    private readonly onFailure: () => Promise<void>,
  ) {}

  writing(wamid: string): Promise<void> | undefined {
    return this.inflight.get(wamid);
  }

  /**
   * Runs a claim in the next group commit and writes its rows (and any statuses that
   * become applicable) to D1; rejects if that write failed. A claim of no rows commits
   * held statuses only.
   */
  commit(claim: Claim): Promise<void> {
    return this.group.add([claim]);
  }

  /**
   * Writes outbox rows again, outside the group commit so live webhooks never share their
   * fate: in batches, and row by row when a batch fails, so one row D1 keeps refusing
   * cannot hold back the rest (after MAX_ATTEMPTS it is set aside). True if all landed.
   */
  async recover(rows: MessageRow[]): Promise<boolean> {
    const inboxId = this.requireInboxId();
    const settled = rows.map(() => deferred());
    const attempt = async (batch: MessageRow[]) => {
      await this.store(inboxId, batch, []);
      this.ledger.stored(batch.map((r) => r.wamid));
    };
    const work = (async () => {
      let all = true;
      for (let i = 0; i < rows.length; i += ROWS_PER_BATCH) {
        const chunk = rows.slice(i, i + ROWS_PER_BATCH);
        try {
          await attempt(chunk);
          for (const j of chunk.keys()) settled[i + j]?.resolve();
          continue;
        } catch {
          // find the row (or rows) at fault
        }
        for (const [j, row] of chunk.entries()) {
          try {
            await attempt([row]);
            settled[i + j]?.resolve();
          } catch (e) {
            all = false;
            settled[i + j]?.reject(e);
            if (this.ledger.failed(row.wamid, String(e), MAX_ATTEMPTS)) {
              console.error(JSON.stringify({ level: "error", inbox: inboxId, wamid: row.wamid, setAside: String(e) }));
            }
          }
        }
      }
      return all;
    })();
    // A redelivery arriving meanwhile waits for its own row's outcome, not the whole run's.
    const tracked = this.track(
      rows,
      settled.map((d) => d.promise),
    ).catch(() => {});
    const all = await work;
    await tracked;
    return all;
  }

  private async track(rows: MessageRow[], outcomes: Promise<void>[]): Promise<void> {
    rows.forEach((r, i) => {
      const outcome = outcomes[i] as Promise<void>;
      outcome.catch(() => {}); // observed here; callers see the failure through their own await
      this.inflight.set(r.wamid, outcome);
    });
    try {
      await Promise.all(outcomes);
    } finally {
      rows.forEach((r, i) => {
        if (this.inflight.get(r.wamid) === outcomes[i]) this.inflight.delete(r.wamid);
      });
    }
  }

  /**
   * One group commit: rows in D1 batches (each one transaction), then the held statuses
   * whose messages are now stored. Only what D1 confirmed leaves the ledger; on any
   * failure the rest goes into the outbox, the alarm retries, and the callers see the error.
   */
  private async write(claims: Claim[]): Promise<void> {
    const inboxId = this.requireInboxId();
    // Every claim of this commit, in arrival order, in one storage transaction.
    const rows = this.ledger.transaction(() => claims.flatMap((claim) => claim()));
    let failure: unknown;
    for (let i = 0; i < rows.length; i += ROWS_PER_BATCH) {
      const chunk = rows.slice(i, i + ROWS_PER_BATCH);
      try {
        await this.store(inboxId, chunk, []);
        this.ledger.stored(chunk.map((r) => r.wamid));
      } catch (e) {
        // D1 owes these rows now: the alarm writes them, whether or not anyone redelivers.
        this.ledger.keep(chunk);
        failure ??= e;
      }
    }
    const statuses = this.ledger.applicableStatuses([], STATUSES_PER_WRITE);
    if (statuses.length) {
      try {
        await this.store(inboxId, [], statuses);
        this.ledger.applied(statuses);
      } catch (e) {
        failure ??= e;
      }
    }
    if (failure) {
      await this.onFailure();
      throw failure;
    }
    // Statuses that arrived while their message's write was in flight are applicable now.
    if (statuses.length === STATUSES_PER_WRITE || this.ledger.hasApplicableStatuses()) void this.commit(() => []).catch(() => {});
  }

  /**
   * One D1 transaction per database, side by side: the rows on the inbox's shard, the
   * workspace contacts they link in the directory. Both are idempotent, so after a failure
   * of either the rows stay owed and the retry runs both again.
   */
  private async store(inboxId: string, rows: MessageRow[], statuses: StatusRow[]): Promise<void> {
    const { shard, directory } = await this.databases();
    const contacts = contactStatements(directory, inboxId, rows);
    if (shard === directory) {
      await shard.batch([...writeStatements(shard, inboxId, rows, statuses), ...contacts]);
      return;
    }
    await Promise.all([shard.batch(writeStatements(shard, inboxId, rows, statuses)), contacts.length ? directory.batch(contacts) : null]);
  }

  private requireInboxId(): string {
    const id = this.inboxId();
    if (!id) throw new Error("inbox id unknown");
    return id;
  }
}

function deferred() {
  let resolve!: () => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}
