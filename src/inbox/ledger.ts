import type { MessageRow, StatusRow } from "../db/queries/ingest";
import { EVENTS_MIGRATION, EventLog, LEAN_EVENTS_MIGRATION, MESSAGE_EVENTS_SENT_MIGRATION, Sequences } from "./events";

/**
 * The inbox object's own SQLite, the durable half of every write. Synchronous calls
 * only, so each runs before any other I/O and no request interleaves:
 * - `seen`: WhatsApp ids with their per-inbox sequence, `stored` once in D1 or set aside,
 *   of the rows the outbox held (below): outbound messages and rows whose first write
 *   failed; and purged messages' ids (a redelivery is a duplicate). An inbound message is
 *   written nowhere here otherwise: the object dedupes it against the rows in flight, and
 *   D1 against the rest (its write is idempotent per WhatsApp id and says which rows were
 *   new); until D1 has it its webhook is unanswered, so after a restart the provider
 *   redelivers it;
 * - `outbox`: rows D1 still owes, written again by alarm: a row whose D1 write failed,
 *   and each outbound message from its claim until D1 has it (nobody resends one, so
 *   it must survive a restart);
 * - `pending_statuses`: statuses not yet applied in D1: each is tried once, and again
 *   when its message lands (D1's update says whether the message was there); dropped
 *   after a week if their message never comes;
 * - `scheduled_statuses`: the sandbox's simulated statuses; `meta`: the inbox id;
 * - `events`, `statuses_seen`: the inbox's event stream (events.ts).
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
  MESSAGE_EVENTS_SENT_MIGRATION,
  // A held status is tried in D1 once, then again only when its message lands (see `stored`).
  `ALTER TABLE pending_statuses ADD COLUMN tried INTEGER NOT NULL DEFAULT 0;`,
];

/** `seen.stored` of a row set aside in `outbox_dead` (0: claimed, 1: in D1). */
const SET_ASIDE = 2;

export class Ledger {
  readonly events: EventLog;
  private readonly sequences: Sequences;
  /** False once no held status is untried (so a write skips the query); true after a restart until checked. */
  private untried = true;

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
   * `stored`: in D1 (an outbound row); `claimed`: sequenced, in the outbox; `dead`: set
   * aside in `outbox_dead` (a redelivery is a duplicate, never claimed again); `new`: not
   * here (an inbound row D1 may well have: its write says).
   */
  state(wamid: string): { kind: "new" } | { kind: "claimed" | "stored" | "dead"; seq: number } {
    const row = this.sql.exec<{ seq: number; stored: number }>("SELECT seq, stored FROM seen WHERE wamid = ?", wamid).toArray()[0];
    if (!row) return { kind: "new" };
    return { kind: row.stored === SET_ASIDE ? "dead" : row.stored ? "stored" : "claimed", seq: row.seq };
  }

  /**
   * Sequences a message. An outbound one goes into the outbox until D1 has it; an inbound
   * one is written nowhere yet (see the top). A message claimed before (`seq` given: its
   * first write failed) keeps its number.
   */
  claim(message: Omit<MessageRow, "seq">, seq?: number): MessageRow {
    const row = { ...message, seq: seq ?? this.sequences.next("seq") };
    if (row.fromUs) this.keep([row]);
    return row;
  }

  /** Puts claimed rows into the outbox (a failed write's), for the alarm to write; rows already there keep their attempts. */
  keep(rows: MessageRow[]): void {
    for (const row of rows) {
      this.sql.exec("INSERT INTO seen (wamid, seq, stored) VALUES (?, ?, 0) ON CONFLICT (wamid) DO NOTHING", row.wamid, row.seq);
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

  /**
   * The rows are in D1: those the outbox held are stored (an inbound row never was there,
   * and writes nothing), and statuses held for any of them are to be tried again.
   */
  stored(rows: MessageRow[]): void {
    // One statement each per write, not per row: this runs on every webhook.
    const wamids = JSON.stringify(rows.map((r) => r.wamid));
    const among = "wamid IN (SELECT value FROM json_each(?))";
    this.sql.exec(`UPDATE seen SET stored = 1 WHERE stored = 0 AND ${among}`, wamids);
    this.sql.exec(`DELETE FROM outbox WHERE ${among}`, wamids);
    if (this.sql.exec(`UPDATE pending_statuses SET tried = 0 WHERE tried = 1 AND ${among}`, wamids).rowsWritten) this.untried = true;
  }

  /** Purged messages: kept as stored, so a redelivery of one is a duplicate and nothing comes back. */
  purged(wamids: string[]): void {
    for (const wamid of wamids) {
      this.sql.exec("INSERT INTO seen (wamid, seq, stored) VALUES (?, 0, 1) ON CONFLICT (wamid) DO UPDATE SET stored = 1", wamid);
    }
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
    this.untried = true;
    this.sql.exec(
      "INSERT INTO pending_statuses (wamid, status, value, raw, held_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
      s.wamid,
      s.status,
      JSON.stringify(s.value),
      s.raw == null ? null : JSON.stringify(s.raw),
      Date.now(),
    );
  }

  /** Held statuses not tried since they came or their message landed, for the next write to try. */
  applicableStatuses(limit: number): StatusRow[] {
    if (!this.untried) return [];
    const rows = this.sql
      .exec<{ wamid: string; status: string; value: string; raw: string | null }>(
        "SELECT wamid, status, value, raw FROM pending_statuses WHERE tried = 0 LIMIT ?",
        limit,
      )
      .toArray();
    if (rows.length < limit) this.untried = false;
    return rows.map((r) => ({
      wamid: r.wamid,
      status: r.status,
      value: JSON.parse(r.value),
      raw: r.raw === null ? null : JSON.parse(r.raw),
    }));
  }

  /** Forgets the statuses a write applied (later arrivals stay held); the others wait for their message. */
  applied(statuses: StatusRow[], applied: StatusRow[]): void {
    for (const s of applied) {
      this.sql.exec("DELETE FROM pending_statuses WHERE wamid = ? AND status = ?", s.wamid, s.status);
      this.events.statusApplied(s.wamid, s.status);
    }
    const done = new Set(applied);
    for (const s of statuses) {
      if (!done.has(s)) this.sql.exec("UPDATE pending_statuses SET tried = 1 WHERE wamid = ? AND status = ?", s.wamid, s.status);
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
    return this.applicableStatuses(1).length > 0;
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
