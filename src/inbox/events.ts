import { nameUuid } from "../services/crypto";

/**
 * The inbox's event stream. A message's event is made each time D1 has taken the
 * message's write (a redelivery's too), with an id derived from the message (its inbox,
 * kind and WhatsApp id: `nameUuid`), and is sent to the queue before the webhook is
 * answered; it is written here only when that send failed (`keepReady`). So a restart
 * between D1 and the queue loses none (the unanswered webhook comes again), and fan-out
 * meets an event it has seen by its deliveries' ids. Every other event (a status's first
 * arrival, a tagging, an assignment) is written here in the same storage transaction as
 * the change that caused it, so a redelivery yields none and a crash loses none: it waits
 * (`WAITING`) until its change is in D1, is then `READY`, and `SENT` once drained to the
 * queue; sent events stay a day.
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

/**
 * Fewer rows written per event (each is billed): no index on the id (nothing looks an
 * event up by it), and an index of the ready events only, where one of every state had an
 * entry to move on each change of state.
 */
export const LEAN_EVENTS_MIGRATION = `
  CREATE TABLE events_lean (seq INTEGER PRIMARY KEY, id TEXT NOT NULL, type TEXT NOT NULL, refs TEXT NOT NULL,
    spec TEXT, wamid TEXT, status TEXT, at INTEGER NOT NULL, state INTEGER NOT NULL DEFAULT 0);
  INSERT INTO events_lean SELECT seq, id, type, refs, spec, wamid, status, at, state FROM events;
  DROP TABLE events;
  ALTER TABLE events_lean RENAME TO events;
  CREATE INDEX events_waiting ON events (wamid, status) WHERE state = ${WAITING};
  CREATE INDEX events_ready ON events (seq) WHERE state = ${READY};`;

/**
 * Message events are no longer written before their message is in D1: those waiting for a
 * stored message are ready, the rest go (their message, when it comes, makes its own).
 */
export const MESSAGE_EVENTS_SENT_MIGRATION = `
  UPDATE events SET state = ${READY} WHERE state = ${WAITING} AND spec IS NULL AND status IS NULL
    AND wamid IN (SELECT wamid FROM seen WHERE stored = 1);
  DELETE FROM events WHERE state = ${WAITING} AND spec IS NULL AND status IS NULL;`;

type Row = { seq: number; id: string; type: EventType; refs: string; at: number };

/** Numbers reserved per counter write. */
const BLOCK = 64;

/**
 * Named counters of the object's SQLite (sequence numbers), handed out from blocks reserved
 * with one write each instead of one write per number. A restart skips the rest of a block:
 * sequence numbers order, they need not be dense. A storage transaction that rolls back
 * takes its reservation with it, so `forget()` must then drop the blocks held in memory.
 */
export class Sequences {
  private readonly blocks = new Map<string, { next: number; end: number }>();

  constructor(private readonly sql: SqlStorage) {}

  next(name: string): number {
    let block = this.blocks.get(name);
    if (!block || block.next > block.end) {
      const end = this.sql
        .exec<{ value: number }>(
          "INSERT INTO counters (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = value + excluded.value RETURNING value",
          name,
          BLOCK,
        )
        .one().value;
      block = { next: end - BLOCK + 1, end };
      this.blocks.set(name, block);
    }
    return block.next++;
  }

  forget(): void {
    this.blocks.clear();
  }
}
const toEvent = (r: Row): InboxEvent => ({ id: r.id, seq: r.seq, type: r.type, refs: JSON.parse(r.refs), at: r.at });

export class EventLog {
  constructor(
    private readonly sql: SqlStorage,
    private readonly sequences: Sequences,
  ) {}

  /**
   * Appends an event, waiting for its D1 write: a message's or a status's (`wamid`,
   * `status`), or a change's, whose `spec` is kept so the alarm can replay the write.
   */
  add(type: EventType, refs: EventRefs, wait: { wamid?: string; status?: string; spec?: unknown }): InboxEvent {
    const event = { id: crypto.randomUUID(), seq: this.sequences.next("event_seq"), type, refs, at: Date.now() };
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

  /** The events of messages D1 now has (written nowhere: see the top of this file). */
  async ofMessages(inboxId: string, rows: { wamid: string; waId: string; fromUs: boolean }[]): Promise<InboxEvent[]> {
    const at = Date.now();
    return Promise.all(
      rows.map(async (row) => {
        const type = row.fromUs ? "message.out" : "message.in";
        // The sequence number first, synchronously, so the events keep the rows' order.
        const seq = this.sequences.next("event_seq");
        return { id: await nameUuid(`${inboxId}/${type}/${row.wamid}`), seq, type, refs: { wamid: row.wamid, wa_id: row.waId }, at };
      }),
    );
  }

  /** Events whose send failed: kept ready, for the alarm's drain. */
  keepReady(events: InboxEvent[]): void {
    for (const e of events) {
      this.sql.exec(
        "INSERT INTO events (seq, id, type, refs, at, state) VALUES (?, ?, ?, ?, ?, ?)",
        e.seq,
        e.id,
        e.type,
        JSON.stringify(e.refs),
        e.at,
        READY,
      );
    }
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
    return (
      this.sql
        // The state as a literal: only then can SQLite use the partial index of ready events.
        .exec<Row>(`SELECT seq, id, type, refs, at FROM events WHERE state = ${READY} ORDER BY seq LIMIT ?`, limit)
        .toArray()
        .map(toEvent)
    );
  }

  sent(seqs: number[]): void {
    this.sql.exec("UPDATE events SET state = ? WHERE seq IN (SELECT value FROM json_each(?))", SENT, JSON.stringify(seqs));
  }

  hasReady(): boolean {
    return this.sql.exec(`SELECT 1 FROM events WHERE state = ${READY} LIMIT 1`).toArray().length > 0;
  }

  /** Drops sent events past a day, oldest first and a bounded number per call (events come in time order, so no index is needed). */
  pruneSent(): void {
    this.sql.exec(
      "DELETE FROM events WHERE seq IN (SELECT seq FROM events WHERE state = ? ORDER BY seq LIMIT 1000) AND at < ?",
      SENT,
      Date.now() - KEEP_SENT_MS,
    );
  }
}
