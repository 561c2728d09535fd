import type { MessageRow } from "../db/queries/ingest";

/**
 * The inbox object's own SQLite: which WhatsApp message ids it has seen (dedupe), the
 * per-inbox sequence, statuses waiting for their message, rows whose D1 write failed,
 * and scheduled sandbox statuses. Every call is synchronous, so it runs before any other
 * I/O and no other request interleaves.
 */
export class Ledger {
  constructor(private readonly sql: SqlStorage) {
    sql.exec(`
      CREATE TABLE IF NOT EXISTS seen (wamid TEXT PRIMARY KEY, seq INTEGER NOT NULL, stored INTEGER NOT NULL DEFAULT 0);
      CREATE TABLE IF NOT EXISTS pending_statuses (wamid TEXT NOT NULL, status TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY (wamid, status));
      CREATE TABLE IF NOT EXISTS counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS scheduled_statuses (wamid TEXT NOT NULL, status TEXT NOT NULL, due_at INTEGER NOT NULL, PRIMARY KEY (wamid, status));
      CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS outbox (wamid TEXT PRIMARY KEY, row TEXT NOT NULL);
    `);
  }

  /** `stored`: in D1; `claimed`: sequenced, not yet confirmed in D1; `new`: never seen. */
  state(wamid: string): { kind: "new" } | { kind: "claimed" | "stored"; seq: number } {
    const row = this.sql.exec<{ seq: number; stored: number }>("SELECT seq, stored FROM seen WHERE wamid = ?", wamid).toArray()[0];
    if (!row) return { kind: "new" };
    return { kind: row.stored ? "stored" : "claimed", seq: row.seq };
  }

  /** Gives a message its sequence number (keeping an earlier one from a write that failed). */
  claim(wamid: string, previousSeq?: number): number {
    const seq = previousSeq ?? this.nextSeq();
    this.sql.exec("INSERT INTO seen (wamid, seq, stored) VALUES (?, ?, 0) ON CONFLICT (wamid) DO NOTHING", wamid, seq);
    return seq;
  }

  /** The messages are in D1: mark them, and forget their held statuses and outbox copies. */
  stored(wamids: string[]): void {
    for (const wamid of wamids) {
      this.sql.exec("UPDATE seen SET stored = 1 WHERE wamid = ?", wamid);
      this.sql.exec("DELETE FROM pending_statuses WHERE wamid = ?", wamid);
      this.sql.exec("DELETE FROM outbox WHERE wamid = ?", wamid);
    }
  }

  private nextSeq(): number {
    return this.sql
      .exec<{ value: number }>(
        "INSERT INTO counters (name, value) VALUES ('seq', 1) ON CONFLICT (name) DO UPDATE SET value = value + 1 RETURNING value",
      )
      .one().value;
  }

  /** Keeps a status whose message is not stored yet; the first value per status wins, as in D1. */
  holdStatus(wamid: string, status: string, value: unknown): void {
    this.sql.exec(
      "INSERT INTO pending_statuses (wamid, status, value) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
      wamid,
      status,
      JSON.stringify(value),
    );
  }

  /** Statuses waiting for this message; they stay held until the message is stored. */
  heldStatuses(wamid: string): Record<string, unknown> {
    const rows = this.sql
      .exec<{ status: string; value: string }>("SELECT status, value FROM pending_statuses WHERE wamid = ?", wamid)
      .toArray();
    return Object.fromEntries(rows.map((r) => [r.status, JSON.parse(r.value)]));
  }

  /** Keeps rows whose D1 write failed, for the alarm to write again (nobody resends an outbound message). */
  keepForRetry(rows: MessageRow[]): void {
    for (const r of rows) this.sql.exec("INSERT OR REPLACE INTO outbox (wamid, row) VALUES (?, ?)", r.wamid, JSON.stringify(r));
  }

  outbox(): MessageRow[] {
    return this.sql
      .exec<{ row: string }>("SELECT row FROM outbox")
      .toArray()
      .map((r) => JSON.parse(r.row) as MessageRow);
  }

  /** The inbox this object serves, remembered for alarms (which carry no arguments). */
  inboxId(value?: string): string | null {
    if (value) this.sql.exec("INSERT INTO meta (name, value) VALUES ('inbox_id', ?) ON CONFLICT (name) DO NOTHING", value);
    return this.sql.exec<{ value: string }>("SELECT value FROM meta WHERE name = 'inbox_id'").toArray()[0]?.value ?? null;
  }

  schedule(wamid: string, status: string, dueAt: number): void {
    this.sql.exec("INSERT INTO scheduled_statuses (wamid, status, due_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING", wamid, status, dueAt);
  }

  /** Scheduled statuses due by `now`; they stay scheduled until `unschedule` (an alarm that fails retries them). */
  due(now: number): { wamid: string; status: string; dueAt: number }[] {
    return this.sql
      .exec<{ wamid: string; status: string; due_at: number }>(
        "SELECT wamid, status, due_at FROM scheduled_statuses WHERE due_at <= ?",
        now,
      )
      .toArray()
      .map((r) => ({ wamid: r.wamid, status: r.status, dueAt: r.due_at }));
  }

  /** Removes applied schedule entries; returns the next due time, if any. */
  unschedule(items: { wamid: string; status: string }[]): number | null {
    for (const i of items) this.sql.exec("DELETE FROM scheduled_statuses WHERE wamid = ? AND status = ?", i.wamid, i.status);
    return this.sql.exec<{ next: number | null }>("SELECT min(due_at) AS next FROM scheduled_statuses").one().next;
  }
}
