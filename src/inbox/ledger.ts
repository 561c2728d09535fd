import type { MessageRow, StatusRow } from "../db/queries/ingest";
import { EVENTS_MIGRATION, EventLog, LEAN_EVENTS_MIGRATION, Sequences } from "./events";

/**
 * The inbox object's own SQLite, the durable half of every write. Synchronous calls
 * only, so each runs before any other I/O and no request interleaves:
 * - `seen`: WhatsApp ids with their per-inbox sequence (dedupe), `stored` once in D1;
 * - `outbox`: rows D1 still owes, written again by alarm: a row whose D1 write failed,
 *   and each outbound message from its claim until D1 has it (nobody resends one, so
 *   it must survive a restart). An inbound message is not copied while its first write
 *   is in flight: until that write lands its webhook is unanswered, and the provider
 *   redelivers it after a restart;
 * - `pending_statuses`: statuses not yet applied in D1 (applied once their message is;
 *   dropped after a week if their message never comes);
 * - `scheduled_statuses`: the sandbox's simulated statuses; `meta`: the inbox id;
 * - `events`, `statuses_seen`: the inbox's event stream (events.ts), written in the
 *   same transactions as the claims that cause its events.
 */
const MIGRATIONS = [
  `CREATE TABLE seen (wamid TEXT PRIMARY KEY, seq INTEGER NOT NULL, stored INTEGER NOT NULL DEFAULT 0);
   CREATE TABLE pending_statuses (wamid TEXT NOT NULL, status TEXT NOT NULL, value TEXT NOT NULL, held_at INTEGER NOT NULL, PRIMARY KEY (wamid, status));
   CREATE TABLE counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
   CREATE TABLE scheduled_statuses (wamid TEXT NOT NULL, status TEXT NOT NULL, due_at INTEGER NOT NULL, PRIMARY KEY (wamid, status));
   CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
   CREATE TABLE outbox (wamid TEXT PRIMARY KEY, row TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0);
   CREATE TABLE outbox_dead (wamid TEXT PRIMARY KEY, row TEXT NOT NULL, error TEXT NOT NULL, dead_at INTEGER NOT NULL);`,
  EVENTS_MIGRATION,
  // The raw status object travels with a held status (webhook receivers get it whole);
  // round-robin turns per group (the rule engine's fair assignment).
  `ALTER TABLE pending_statuses ADD COLUMN raw TEXT;
   CREATE TABLE round_robin (group_id INTEGER PRIMARY KEY, last_user INTEGER NOT NULL);`,
  // Billed rows per message: `seen` without a rowid beside its key (one b-tree, not two), lean events.
  `CREATE TABLE seen_lean (wamid TEXT PRIMARY KEY, seq INTEGER NOT NULL, stored INTEGER NOT NULL DEFAULT 0) WITHOUT ROWID;
   INSERT INTO seen_lean SELECT wamid, seq, stored FROM seen;
   DROP TABLE seen;
   ALTER TABLE seen_lean RENAME TO seen;
   ${LEAN_EVENTS_MIGRATION}`,
];

/** `seen.stored` of a row set aside in `outbox_dead` (0: claimed, 1: in D1). */
const SET_ASIDE = 2;

export class Ledger {
  readonly events: EventLog;
  private readonly sequences: Sequences;

  constructor(
    private readonly sql: SqlStorage,
    private readonly transactionSync: <T>(work: () => T) => T,
  ) {
    this.sequences = new Sequences(sql);
    this.events = new EventLog(sql, this.sequences);
    // Schema steps by version (PRAGMA user_version is not allowed here): a deployed object upgrades in place.
    sql.exec("CREATE TABLE IF NOT EXISTS ledger_version (version INTEGER NOT NULL)");
    const version = sql.exec<{ version: number }>("SELECT coalesce(max(version), 0) AS version FROM ledger_version").one().version;
    for (const [index, step] of MIGRATIONS.entries()) {
      if (index < version) continue;
      sql.exec(step);
      sql.exec("DELETE FROM ledger_version");
      sql.exec("INSERT INTO ledger_version (version) VALUES (?)", index + 1);
    }
  }

  /**
   * `stored`: in D1; `claimed`: sequenced, not yet in D1 (in the outbox if D1 owes it);
   * `dead`: set aside in `outbox_dead` (a redelivery is a duplicate, never claimed
   * again); `new`: never seen.
   */
  state(wamid: string): { kind: "new" } | { kind: "claimed" | "stored" | "dead"; seq: number } {
    const row = this.sql.exec<{ seq: number; stored: number }>("SELECT seq, stored FROM seen WHERE wamid = ?", wamid).toArray()[0];
    if (!row) return { kind: "new" };
    return { kind: row.stored === SET_ASIDE ? "dead" : row.stored ? "stored" : "claimed", seq: row.seq };
  }

  /**
   * Sequences a message (an outbound one also goes into the outbox until D1 has it). A
   * message claimed before (`seq` given: its first write never landed) keeps its number.
   */
  claim(message: Omit<MessageRow, "seq">, seq?: number): MessageRow {
    const row = { ...message, seq: seq ?? this.nextSeq() };
    // Its event once, at the first claim, waiting for the D1 write.
    if (seq === undefined) {
      this.events.add(
        row.fromUs ? "message.out" : "message.in",
        { wamid: row.wamid, wa_id: row.waId, message_seq: row.seq },
        { wamid: row.wamid },
      );
    }
    this.sql.exec("INSERT INTO seen (wamid, seq, stored) VALUES (?, ?, 0) ON CONFLICT (wamid) DO NOTHING", row.wamid, row.seq);
    if (row.fromUs) this.keep([row]);
    return row;
  }

  /** Puts claimed rows into the outbox (a failed write's), for the alarm to write; rows already there keep their attempts. */
  keep(rows: MessageRow[]): void {
    for (const row of rows) {
      this.sql.exec(
        "INSERT INTO outbox (wamid, row, attempts) VALUES (?, ?, 0) ON CONFLICT (wamid) DO NOTHING",
        row.wamid,
        JSON.stringify(row),
      );
    }
  }

  /**
   * Counts a failed write of one row; past `maxAttempts` the row is set aside in
   * `outbox_dead` (kept for inspection, logged) so it stops holding back the others.
   * Returns true when the row was set aside.
   */
  failed(wamid: string, error: string, maxAttempts: number): boolean {
    const row = this.sql
      .exec<{ attempts: number; row: string }>("UPDATE outbox SET attempts = attempts + 1 WHERE wamid = ? RETURNING attempts, row", wamid)
      .toArray()[0];
    if (!row || row.attempts < maxAttempts) return false;
    this.sql.exec(
      "INSERT OR REPLACE INTO outbox_dead (wamid, row, error, dead_at) VALUES (?, ?, ?, ?)",
      wamid,
      row.row,
      error.slice(0, 1000),
      Date.now(),
    );
    this.sql.exec("DELETE FROM outbox WHERE wamid = ?", wamid);
    this.sql.exec("UPDATE seen SET stored = ? WHERE wamid = ?", SET_ASIDE, wamid);
    this.events.forget({ wamid });
    return true;
  }

  /** A claimed message's row as first claimed (same sequence number). */
  claimed(wamid: string): MessageRow | undefined {
    const row = this.sql.exec<{ row: string }>("SELECT row FROM outbox WHERE wamid = ?", wamid).toArray()[0];
    return row ? (JSON.parse(row.row) as MessageRow) : undefined;
  }

  /** Claimed rows still waiting for D1, oldest first. */
  outbox(limit: number): MessageRow[] {
    return this.sql
      .exec<{ row: string }>("SELECT o.row FROM outbox o JOIN seen s ON s.wamid = o.wamid ORDER BY s.seq LIMIT ?", limit)
      .toArray()
      .map((r) => JSON.parse(r.row) as MessageRow);
  }

  hasOutbox(): boolean {
    return this.sql.exec("SELECT 1 FROM outbox LIMIT 1").toArray().length > 0;
  }

  /** The rows are in D1: mark them stored and drop them from the outbox. */
  stored(wamids: string[]): void {
    for (const wamid of wamids) {
      this.sql.exec("UPDATE seen SET stored = 1 WHERE wamid = ?", wamid);
      this.sql.exec("DELETE FROM outbox WHERE wamid = ?", wamid);
    }
    this.events.messagesStored(wamids);
  }

  private nextSeq(): number {
    return this.sequences.next("seq");
  }

  /** One storage transaction; if it rolls back, so do the sequence blocks it reserved. */
  transaction<T>(work: () => T): T {
    try {
      return this.transactionSync(work);
    } catch (e) {
      this.sequences.forget();
      throw e;
    }
  }

  /**
   * Keeps a status until it is applied in D1, with its event. Only the first value per
   * status key counts (as in D1), so a repeat is dropped here and yields no event.
   */
  holdStatus(s: StatusRow): void {
    if (!this.events.firstStatus(s.wamid, s.status)) return;
    this.events.add("status", { wamid: s.wamid, status: s.status }, { wamid: s.wamid, status: s.status });
    this.sql.exec(
      "INSERT INTO pending_statuses (wamid, status, value, raw, held_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
      s.wamid,
      s.status,
      JSON.stringify(s.value),
      s.raw == null ? null : JSON.stringify(s.raw),
      Date.now(),
    );
  }

  /** Held statuses that a write can apply: their message is stored, or is among `writing`. */
  applicableStatuses(writing: string[], limit: number): StatusRow[] {
    const rows = this.sql
      .exec<{ wamid: string; status: string; value: string; raw: string | null }>(
        `SELECT p.wamid, p.status, p.value, p.raw FROM pending_statuses p JOIN seen s ON s.wamid = p.wamid
         WHERE s.stored = 1 OR p.wamid IN (SELECT value FROM json_each(?)) LIMIT ?`,
        JSON.stringify(writing),
        limit,
      )
      .toArray();
    return rows.map((r) => ({
      wamid: r.wamid,
      status: r.status,
      value: JSON.parse(r.value),
      raw: r.raw === null ? null : JSON.parse(r.raw),
    }));
  }

  /** Forgets exactly the statuses a successful write applied (later arrivals stay held). */
  applied(statuses: StatusRow[]): void {
    for (const s of statuses) {
      this.sql.exec("DELETE FROM pending_statuses WHERE wamid = ? AND status = ?", s.wamid, s.status);
      this.events.statusApplied(s.wamid, s.status);
    }
  }

  /**
   * Drops statuses held for ids this inbox never stored (messages sent before Switchboard
   * or by another system, or set aside): past `maxAgeMs` their message is not coming.
   */
  pruneStatuses(maxAgeMs: number): void {
    const dropped = this.sql
      .exec<{ wamid: string; status: string }>(
        "DELETE FROM pending_statuses WHERE held_at < ? AND wamid NOT IN (SELECT wamid FROM seen WHERE stored < ?) RETURNING wamid, status",
        Date.now() - maxAgeMs,
        SET_ASIDE,
      )
      .toArray();
    for (const d of dropped) this.events.forget(d);
  }

  hasApplicableStatuses(): boolean {
    return this.applicableStatuses([], 1).length > 0;
  }

  /** The inbox this object serves, remembered for alarms (which carry no arguments). */
  inboxId(value?: string): string | null {
    if (value) this.sql.exec("INSERT INTO meta (name, value) VALUES ('inbox_id', ?) ON CONFLICT (name) DO NOTHING", value);
    return this.sql.exec<{ value: string }>("SELECT value FROM meta WHERE name = 'inbox_id'").toArray()[0]?.value ?? null;
  }

  schedule(wamid: string, status: string, dueAt: number): void {
    this.sql.exec("INSERT INTO scheduled_statuses (wamid, status, due_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING", wamid, status, dueAt);
  }

  /** Moves scheduled statuses that are due into the held ones; returns the next due time. */
  releaseDue(now: number): number | null {
    const due = this.sql
      .exec<{ wamid: string; status: string; due_at: number }>(
        "DELETE FROM scheduled_statuses WHERE due_at <= ? RETURNING wamid, status, due_at",
        now,
      )
      .toArray();
    // The sandbox's statuses look like WhatsApp's own to webhook receivers.
    for (const d of due) {
      this.holdStatus({
        wamid: d.wamid,
        status: d.status,
        value: d.due_at,
        raw: { id: d.wamid, status: d.status, timestamp: String(d.due_at) },
      });
    }
    return this.sql.exec<{ next: number | null }>("SELECT min(due_at) AS next FROM scheduled_statuses").one().next;
  }

  /**
   * Round robin over a group's members (ids ascending): the first after the one taken
   * last, wrapping around; null for a group with no active member.
   */
  nextInTurn(groupId: number, members: number[]): number | null {
    if (!members.length) return null;
    const last = this.sql.exec<{ last_user: number }>("SELECT last_user FROM round_robin WHERE group_id = ?", groupId).toArray()[0];
    const next = members.find((id) => last === undefined || id > last.last_user) ?? (members[0] as number);
    this.sql.exec(
      "INSERT INTO round_robin (group_id, last_user) VALUES (?, ?) ON CONFLICT (group_id) DO UPDATE SET last_user = excluded.last_user",
      groupId,
      next,
    );
    return next;
  }
}
