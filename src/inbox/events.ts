/**
 * The inbox's event stream, kept in the inbox object's SQLite beside the ledger.
 * Everything that happens in an inbox becomes one event here, in the same storage
 * transaction as the change that caused it (a message's claim, a status's first
 * arrival, a tagging or assignment), so a redelivery yields none and a crash loses
 * none. An event waits (`WAITING`) until its change is in D1, is then `READY`, and is
 * `SENT` once drained to the queue; sent events stay a day, for consumers that resume.
 */
export const EVENT_TYPES = [
  "message.in",
  "message.out",
  "status",
  "chat_tagging",
  "message_tagging",
  "chat_assignment",
  "chat_resolved",
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** Ids only, never payload copies or secrets: consumers load the rest from D1. */
export type EventRefs = Record<string, string | number | null>;
export type InboxEvent = { id: string; seq: number; type: EventType; refs: EventRefs; at: number };

const WAITING = 0;
const READY = 1;
const SENT = 2;
const KEEP_SENT_MS = 86_400_000;

export const EVENTS_MIGRATION = `
  CREATE TABLE events (seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, type TEXT NOT NULL, refs TEXT NOT NULL,
    spec TEXT, wamid TEXT, status TEXT, at INTEGER NOT NULL, state INTEGER NOT NULL DEFAULT 0);
  CREATE INDEX events_waiting ON events (wamid, status) WHERE state = 0;
  CREATE INDEX events_state ON events (state, seq);
  CREATE TABLE statuses_seen (wamid TEXT NOT NULL, status TEXT NOT NULL, PRIMARY KEY (wamid, status)) WITHOUT ROWID;`;

type Row = { seq: number; id: string; type: EventType; refs: string; at: number };

/** The next value of a named counter of the object's SQLite (sequence numbers). */
export function nextValue(sql: SqlStorage, name: string): number {
  return sql
    .exec<{ value: number }>(
      "INSERT INTO counters (name, value) VALUES (?, 1) ON CONFLICT (name) DO UPDATE SET value = value + 1 RETURNING value",
      name,
    )
    .one().value;
}
const toEvent = (r: Row): InboxEvent => ({ id: r.id, seq: r.seq, type: r.type, refs: JSON.parse(r.refs), at: r.at });

export class EventLog {
  constructor(private readonly sql: SqlStorage) {}

  /**
   * Appends an event, waiting for its D1 write: a message's or a status's (`wamid`,
   * `status`), or a change's, whose `spec` is kept so the alarm can replay the write.
   */
  add(type: EventType, refs: EventRefs, wait: { wamid?: string; status?: string; spec?: unknown }): InboxEvent {
    const event = { id: crypto.randomUUID(), seq: nextValue(this.sql, "event_seq"), type, refs, at: Date.now() };
    this.sql.exec(
      "INSERT INTO events (seq, id, type, refs, spec, wamid, status, at, state) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
      event.seq,
      event.id,
      type,
      JSON.stringify(refs),
      wait.spec === undefined ? null : JSON.stringify(wait.spec),
      wait.wamid ?? null,
      wait.status ?? null,
      event.at,
      WAITING,
    );
    return event;
  }

  /** A status key seen for the first time (true), or a repeat that changes nothing (false). */
  firstStatus(wamid: string, status: string): boolean {
    return (
      this.sql
        .exec("INSERT INTO statuses_seen (wamid, status) VALUES (?, ?) ON CONFLICT DO NOTHING RETURNING wamid", wamid, status)
        .toArray().length > 0
    );
  }

  /** The messages are in D1: their message events are ready. */
  messagesStored(wamids: string[]): void {
    // One statement per write, not one per message: this runs on every webhook.
    this.sql.exec(
      "UPDATE events SET state = ? WHERE state = ? AND status IS NULL AND wamid IN (SELECT value FROM json_each(?))",
      READY,
      WAITING,
      JSON.stringify(wamids),
    );
  }

  statusApplied(wamid: string, status: string): void {
    this.sql.exec("UPDATE events SET state = ? WHERE state = ? AND wamid = ? AND status = ?", READY, WAITING, wamid, status);
  }

  /** A change's D1 write is done (or was never needed). */
  written(seq: number): void {
    this.sql.exec("UPDATE events SET state = ? WHERE seq = ? AND state = ?", READY, seq, WAITING);
  }

  /** Events whose change never reaches D1 (a message set aside, a status whose message never came) did not happen. */
  forget(where: { wamid: string; status?: string }): void {
    this.sql.exec(
      "DELETE FROM events WHERE state = ? AND wamid = ? AND (status = ? OR (? IS NULL AND status IS NULL))",
      WAITING,
      where.wamid,
      where.status ?? null,
      where.status ?? null,
    );
  }

  /** Change events (taggings, assignments) whose D1 write has not been confirmed, oldest first. */
  unwrittenChanges(limit: number): { id: string; seq: number; spec: unknown }[] {
    return this.sql
      .exec<{ id: string; seq: number; spec: string }>(
        "SELECT id, seq, spec FROM events WHERE state = ? AND spec IS NOT NULL ORDER BY seq LIMIT ?",
        WAITING,
        limit,
      )
      .toArray()
      .map((r) => ({ id: r.id, seq: r.seq, spec: JSON.parse(r.spec) }));
  }

  ready(limit: number): InboxEvent[] {
    return this.sql
      .exec<Row>("SELECT seq, id, type, refs, at FROM events WHERE state = ? ORDER BY seq LIMIT ?", READY, limit)
      .toArray()
      .map(toEvent);
  }

  sent(seqs: number[]): void {
    this.sql.exec("UPDATE events SET state = ? WHERE seq IN (SELECT value FROM json_each(?))", SENT, JSON.stringify(seqs));
  }

  hasReady(): boolean {
    return this.sql.exec("SELECT 1 FROM events WHERE state = ? LIMIT 1", READY).toArray().length > 0;
  }

  pruneSent(): void {
    this.sql.exec("DELETE FROM events WHERE state = ? AND at < ?", SENT, Date.now() - KEEP_SENT_MS);
  }
}
