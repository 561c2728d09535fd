import type { Db } from "../db/client";
import { assignmentEvent } from "../db/queries/assignments";
import { getChatState } from "../db/queries/chats";
import type { Inbox } from "../db/queries/inboxes";
import { listMessages, type MessageRecord, messagesByWamids } from "../db/queries/messages";
import { type TaggingEventRecord, taggingEvent } from "../db/queries/tags";
import { statusPayloads } from "../db/queries/webhooks";
import type { EventJob } from "../queues/jobs";
import { assignmentEventWire, taggingEventWire } from "../services/history";
import { type People, personWire, toMessageWire } from "../services/messages";
import { chatPage } from "../services/pages";
import { loadPeople } from "../services/people";
import { type ChatAssignment, type ChatFilter, canAccessChat } from "../services/permissions";

/**
 * Webhook and rule-engine payloads, per event and receiver, exactly as the seed's "WABA
 * Webhook extension": each element in the schema of the matching list endpoint, built
 * from D1 (events carry ids only) and filtered by what the receiver's user may read.
 */

/** A receiver (a webhook's user, a WebSocket client): who they are, what they may read, what they asked for. */
export type Receiver = {
  userId: number;
  groupIds: number[];
  access: ChatFilter;
  onIncoming: boolean;
  onOutgoing: boolean;
  onAssigned: boolean;
};

/** What an event refers to, loaded once for all its receivers. */
export type EventFacts = {
  job: EventJob;
  inbox: Inbox;
  baseUrl: string;
  waId: string;
  /** The chat's assignment that decides who may read the event (after the change, for assignments). */
  chat: ChatAssignment;
  message?: MessageRecord;
  rawStatus?: unknown;
  tagging?: TaggingEventRecord;
  assignment?: ReturnType<typeof assignmentEventWire>;
  /** A `chat_resolved` event's element. */
  resolution?: { wa_id: string; resolved: boolean; done_by: ReturnType<typeof personWire>; timestamp: number | null };
  /** What an assignment changed (for `assigned_messages` at the moment of assignment). */
  assignedNow?: AssignmentChange;
  people: People;
};

type AssignmentChange = { userSet: number | null; groupSet: number | null; userCleared: boolean };
export type Payload = Record<string, unknown>;
export type Built = { body: Payload; mark: { waId: string; timestamp: number } | null };

const ref = (job: EventJob, name: string) => job.refs[name];
const str = (v: unknown) => (typeof v === "string" ? v : undefined);
const num = (v: unknown) => (typeof v === "number" ? v : null);

/**
 * Loads what a batch of events refers to, by event id (missing: gone since, e.g. a
 * deleted chat or tag). Message events, the bulk of any stream, share one query for
 * their messages (with their chats' assignment) and one for their people and tags.
 */
export async function loadFactsBatch(db: Db, inbox: Inbox, baseUrl: string, jobs: EventJob[]): Promise<Map<string, EventFacts>> {
  const out = new Map<string, EventFacts>();
  // Statuses ride along: three per sent message, as frequent as messages themselves.
  const isMessage = (j: EventJob) => j.event === "message.in" || j.event === "message.out" || j.event === "status";
  const messageJobs = jobs.filter(isMessage);
  await Promise.all(
    jobs
      .filter((j) => !isMessage(j))
      .map(async (j) => {
        const facts = await loadFacts(db, inbox, baseUrl, j);
        if (facts) out.set(j.id, facts);
      }),
  );
  if (!messageJobs.length) return out;
  const records = await messagesByWamids(
    db,
    inbox.id,
    0,
    messageJobs.map((j) => str(ref(j, "wamid")) ?? ""),
  );
  const byWamid = new Map(records.map((m) => [m.wamid, m]));
  const statusJobs = messageJobs.filter((j) => j.event === "status");
  const raw = statusJobs.length
    ? await statusPayloads(
        db,
        inbox.id,
        statusJobs.map((j) => str(ref(j, "wamid")) ?? ""),
      )
    : new Map<string, unknown>();
  const people = await loadPeople(
    db,
    inbox.workspaceId,
    records.map((m) => m.sender_user_id),
    false,
    { messages: records },
  );
  for (const job of messageJobs) {
    const message = byWamid.get(str(ref(job, "wamid")) ?? "");
    if (!message) continue;
    const chat = { assignedToUser: message.chat_assigned_user, assignedGroup: message.chat_assigned_group };
    const facts: EventFacts = { job, inbox, baseUrl, waId: message.wa_id, chat, message, people };
    if (job.event === "status") {
      const status = str(ref(job, "status")) ?? "";
      facts.rawStatus = raw.get(`${message.wamid} ${status}`) ?? {
        id: message.wamid,
        status,
        timestamp: String(Math.floor(job.at / 1000)),
      };
    }
    out.set(job.id, facts);
  }
  return out;
}

/** Loads what one tagging, assignment or resolution event refers to; undefined when it is gone (the chat or tag was deleted since). */
async function loadFacts(db: Db, inbox: Inbox, baseUrl: string, job: EventJob): Promise<EventFacts | undefined> {
  const waId = str(ref(job, "wa_id"));
  if (!waId) return undefined;
  if (job.event === "chat_resolved") {
    const state = await getChatState(db, inbox.id, waId);
    if (!state) return undefined;
    const doneBy = num(ref(job, "done_by"));
    const people = await loadPeople(db, inbox.workspaceId, [doneBy], false);
    const chat = { assignedToUser: state.assigned_to_user, assignedGroup: state.assigned_group };
    const resolution = {
      wa_id: waId,
      resolved: ref(job, "resolved") === 1,
      done_by: personWire(people, doneBy, baseUrl),
      timestamp: num(ref(job, "timestamp")),
    };
    return { job, inbox, baseUrl, waId, chat, resolution, people };
  }
  if (job.event === "chat_assignment") {
    const row = await assignmentEvent(db, inbox.id, job.id);
    if (!row) return undefined;
    const people = await loadPeople(db, inbox.workspaceId, [row.user_set, row.done_by], row.group_set !== null);
    return {
      job,
      inbox,
      baseUrl,
      waId,
      // Who may read it, and who it was given to, follow the assignment as it made it.
      chat: { assignedToUser: num(ref(job, "assigned_to_user")), assignedGroup: num(ref(job, "assigned_group")) },
      assignedNow: { userSet: row.user_set, groupSet: row.group_set, userCleared: row.user_cleared === 1 },
      assignment: assignmentEventWire(row, people, baseUrl),
      people,
    };
  }
  const [state, tagging] = await Promise.all([getChatState(db, inbox.id, waId), taggingEvent(db, inbox.id, job.id)]);
  if (!state || !tagging) return undefined;
  // A message tagging carries its message (the engine's `tagged_messages`).
  const message = tagging.wamid ? (await messagesByWamids(db, inbox.id, 0, [tagging.wamid]))[0] : undefined;
  const people = await loadPeople(db, inbox.workspaceId, [tagging.done_by, message?.sender_user_id ?? null], false, {
    messages: message ? [message] : [],
  });
  const chat = { assignedToUser: state.assigned_to_user, assignedGroup: state.assigned_group };
  return { job, inbox, baseUrl, waId, chat, message, tagging, people };
}

/**
 * What a receiver's payload for an event depends on besides its flags: receivers with the
 * same class get the same body (WebSocket broadcast serializes it once per class).
 */
export function payloadClass(f: EventFacts, r: Receiver): string {
  if (!canAccessChat(r.access, f.chat)) return "none";
  return `${assignedTo(r, f.chat)}:${f.assignedNow ? givenTo(r, f.assignedNow, f.chat) : false}`;
}

/** Whether a chat in this state is "assigned to" the receiver: to them, or to a group of theirs with no user. */
function assignedTo(r: Receiver, chat: ChatAssignment): boolean {
  if (chat.assignedToUser !== null) return chat.assignedToUser === r.userId;
  return chat.assignedGroup !== null && r.groupIds.includes(chat.assignedGroup);
}

const messageWire = (f: EventFacts, m: MessageRecord, mark: number | null) => toMessageWire({ ...m, mark }, f.people, f.baseUrl);
const markOf = (rows: MessageRecord[]): Built["mark"] =>
  rows.length ? { waId: rows[0]!.wa_id, timestamp: Math.max(...rows.map((m) => m.timestamp)) } : null;

/**
 * The body one webhook receives for an event, or null when it receives nothing. `mark`:
 * the user's received mark on this chat (their `received` in message elements).
 */
export async function webhookPayload(db: Db, f: EventFacts, r: Receiver, mark: number | null): Promise<Built | null> {
  if (!canAccessChat(r.access, f.chat)) return null;
  const body: Payload = {};
  let marked: MessageRecord[] = [];
  const m = f.message;
  switch (f.job.event) {
    case "message.in":
      if (!m) return null;
      if (r.onIncoming) {
        body.contacts = [JSON.parse(m.contact)];
        body.messages = [JSON.parse(m.payload)];
        body.incoming_messages = [messageWire(f, m, mark)];
      }
      if (r.onAssigned && assignedTo(r, f.chat)) body.assigned_messages = [messageWire(f, m, mark)];
      if (body.incoming_messages || body.assigned_messages) marked = [m];
      break;
    case "message.out":
      if (!m || !r.onOutgoing) return null;
      body.outgoing_messages = [messageWire(f, m, mark)];
      marked = [m];
      break;
    case "status":
      if (!r.onIncoming) return null;
      body.statuses = [f.rawStatus];
      break;
    case "chat_tagging":
    case "message_tagging": {
      const kind = f.job.event === "chat_tagging" ? "chat" : "message";
      if (!f.tagging) return null;
      body[f.job.event] = taggingEventWire(kind, f.tagging, f.people, f.baseUrl);
      break;
    }
    case "chat_resolved":
      body.chat_resolved = f.resolution;
      break;
    case "chat_assignment": {
      body.chat_assignment = f.assignment;
      // Given to this receiver just now: the chat's messages they have not received yet.
      if (r.onAssigned && f.assignedNow && givenTo(r, f.assignedNow, f.chat)) {
        const scope = {
          inboxId: f.inbox.id,
          userId: r.userId,
          access: { kind: "all" as const },
          waId: f.waId,
          sinceTime: (mark ?? -1) + 1,
        };
        const { rows } = await listMessages(db, scope, ASSIGNED_MESSAGES_MAX, 0);
        if (rows.length) {
          const people = await loadPeople(
            db,
            f.inbox.workspaceId,
            rows.map((x) => x.sender_user_id),
            false,
            { messages: rows },
          );
          // Newest first, while the body stays well under D1's 2 MB row (messages are up to 256 KiB each).
          const kept: ReturnType<typeof toMessageWire>[] = [];
          let size = 0;
          for (const x of rows) {
            const wire = toMessageWire(x, people, f.baseUrl);
            size += JSON.stringify(wire).length;
            if (kept.length && size > ASSIGNED_MESSAGES_CHARS) break;
            kept.push(wire);
          }
          body.assigned_messages = kept;
          marked = rows.slice(0, kept.length);
        }
      }
      break;
    }
  }
  return Object.keys(body).length ? { body, mark: markOf(marked) } : null;
}

/** At most this many unreceived messages go with an assignment (the newest). */
const ASSIGNED_MESSAGES_MAX = 20;
const ASSIGNED_MESSAGES_CHARS = 600_000;

/**
 * Whether an assignment change just gave the chat to the receiver: it set them as the
 * user, or it left the chat with a group of theirs and no user (set the group, or
 * cleared the user), as `let_group_decide` does.
 */
function givenTo(r: Receiver, change: AssignmentChange, after: ChatAssignment): boolean {
  if (!assignedTo(r, after)) return false;
  return change.userSet === r.userId || (after.assignedToUser === null && (change.groupSet !== null || change.userCleared));
}

/**
 * The custom rule engine's payload (it sees every chat): fresh incoming messages (with the
 * raw `contacts`/`messages`), outgoing messages, and taggings (adds also in the deprecated
 * `tagged_messages`/`tagged_chats`). Statuses and assignments are not sent to it.
 */
export async function enginePayload(db: Db, f: EventFacts): Promise<Payload | null> {
  const m = f.message;
  switch (f.job.event) {
    case "message.in":
      return m
        ? { contacts: [JSON.parse(m.contact)], messages: [JSON.parse(m.payload)], incoming_messages: [messageWire(f, m, null)] }
        : null;
    case "message.out":
      return m ? { outgoing_messages: [messageWire(f, m, null)] } : null;
    case "chat_tagging":
    case "message_tagging": {
      const t = f.tagging;
      if (!t) return null;
      const kind = f.job.event === "chat_tagging" ? "chat" : "message";
      const body: Payload = { [f.job.event]: taggingEventWire(kind, t, f.people, f.baseUrl) };
      if (t.action !== "added") return body;
      const new_tag = { name: t.tag_name, id: t.tag_id, extra: t.extra === null ? {} : JSON.parse(t.extra) };
      if (kind === "message" && m) body.tagged_messages = [{ message: messageWire(f, m, null), new_tag }];
      if (kind === "chat") {
        const scope = { inboxId: f.inbox.id, userId: 0, access: { kind: "all" as const }, waId: f.waId };
        const [chat] = (await chatPage(db, f.inbox.workspaceId, scope, f.baseUrl, 1, 0)).results;
        if (chat) body.tagged_chats = [{ chat, new_tag }];
      }
      return body;
    }
    default:
      return null;
  }
}
