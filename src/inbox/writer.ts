import { appliedStatuses, contactStatements, type MessageRow, newRows, writeStatements } from "../db/queries/ingest";
import { GroupCommit } from "./group-commit";
import type { Ledger } from "./ledger";

/** Rows per D1 batch, held statuses per write. */
const ROWS_PER_BATCH = 100;
const STATUSES_PER_WRITE = 500;
/** Failed writes of one outbox row before it is set aside in `outbox_dead`. */
const MAX_ATTEMPTS = 50;

/**
 * Claims rows (synchronously, inside the commit's storage transaction) and returns them;
 * `fresh` gets the wamids of those D1 did not have before (the rest were redeliveries).
 */
export type Claim = { rows: () => MessageRow[]; fresh: Set<string> };

/**
 * The inbox object's writer to D1: live rows through a group commit (concurrent webhooks
 * share one storage transaction for their claims and one D1 round trip for their rows),
 * outbox rows again by alarm, and the bookkeeping of which rows are being written, so a
 * redelivery meeting a write of its row in flight (live or the alarm's) is acknowledged
 * only if that landed. Rows D1 has go to `landed` (their events, then the ledger).
 */
export class D1Writer {
  /** wamid → settles when the write carrying that row succeeds (resolves) or fails (rejects). */
  private readonly inflight = new Map<string, Promise<void>>();
  private readonly group = new GroupCommit<Claim>((claims) => this.write(claims));

  constructor(
    private readonly databases: () => Promise<{ shard: D1Database; directory: D1Database }>,
    private readonly ledger: Ledger,
    private readonly landed: (rows: MessageRow[], fresh: Set<string>) => Promise<void>,
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
  commit(rows: Claim["rows"], fresh = new Set<string>()): Promise<void> {
    return this.group.add([{ rows, fresh }]);
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
      await this.landed(batch, await this.store(inboxId, batch));
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
   * One group commit: rows in D1 batches (each one transaction), each landed batch's
   * events and ledger marks, then the held statuses whose messages are now stored. On any
   * failure the rest goes into the outbox, the alarm retries, and the callers see the error.
   */
  private async write(claims: Claim[]): Promise<void> {
    const inboxId = this.requireInboxId();
    // Every claim of this commit, in arrival order, in one storage transaction; each
    // claim's rows count as in flight before the next claim runs.
    const settled = new Map<string, ReturnType<typeof deferred>>();
    const owner = new Map<string, Claim>();
    const settle = (wamids: Iterable<string>, error?: unknown) => {
      for (const wamid of wamids) {
        const d = settled.get(wamid);
        if (error === undefined) d?.resolve();
        else d?.reject(error);
        if (d && this.inflight.get(wamid) === d.promise) this.inflight.delete(wamid);
      }
    };
    let rows: MessageRow[];
    try {
      rows = this.ledger.transaction(() =>
        claims.flatMap((claim) => {
          const claimed = claim.rows();
          for (const r of claimed) {
            owner.set(r.wamid, claim);
            const d = deferred();
            d.promise.catch(() => {}); // observed here; a waiting duplicate sees the failure through its own await
            settled.set(r.wamid, d);
            this.inflight.set(r.wamid, d.promise);
          }
          return claimed;
        }),
      );
    } catch (e) {
      settle(settled.keys(), e);
      throw e;
    }
    let failure: unknown;
    for (let i = 0; i < rows.length; i += ROWS_PER_BATCH) {
      const chunk = rows.slice(i, i + ROWS_PER_BATCH);
      let fresh: Set<string>;
      try {
        fresh = await this.store(inboxId, chunk);
      } catch (e) {
        // D1 owes these rows now: the alarm writes them, whether or not anyone redelivers.
        this.ledger.keep(chunk);
        settle(
          chunk.map((r) => r.wamid),
          e,
        );
        failure ??= e;
        continue;
      }
      for (const wamid of fresh) owner.get(wamid)?.fresh.add(wamid);
      try {
        await this.landed(chunk, fresh);
        settle(chunk.map((r) => r.wamid));
      } catch (e) {
        // Stored, but its events or ledger mark did not follow: answered as failed, so the provider redelivers.
        settle(
          chunk.map((r) => r.wamid),
          e,
        );
        failure ??= e;
      }
    }
    const statuses = this.ledger.applicableStatuses(STATUSES_PER_WRITE);
    if (statuses.length) {
      try {
        const { shard } = await this.databases();
        const written = await shard.batch(writeStatements(shard, inboxId, [], statuses));
        this.ledger.transaction(() => this.ledger.applied(statuses, appliedStatuses(written, statuses)));
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
  private async store(inboxId: string, rows: MessageRow[]): Promise<Set<string>> {
    const { shard, directory } = await this.databases();
    const contacts = contactStatements(directory, inboxId, rows);
    if (shard === directory) return newRows(await shard.batch([...writeStatements(shard, inboxId, rows, []), ...contacts]), rows);
    const [written] = await Promise.all([
      shard.batch(writeStatements(shard, inboxId, rows, [])),
      contacts.length ? directory.batch(contacts) : null,
    ]);
    return newRows(written, rows);
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
