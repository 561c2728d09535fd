import type { Message } from "../api/types";

/**
 * What the app takes from a WebSocket frame (`{"type": "waba_webhook", "waba_payload"}`,
 * a webhook's fields for this user): messages in either direction, delivery statuses
 * (WhatsApp's raw `{id, status, timestamp, errors}`), and "something else changed"
 * (assignments, taggings, resolution) for the chat list to reload. Frames are read
 * defensively: anything unexpected is skipped, never trusted.
 */
export type LiveEvent =
  | { kind: "message"; message: Message }
  | { kind: "status"; id: string; status: string; value: unknown }
  /** Something about a chat changed (`waId` null: which one is not said, e.g. a message tagging). */
  | { kind: "changed"; waId: string | null }
  /** A chat was assigned (`chat_assignment`): who was set, and who did it. */
  | { kind: "assigned"; waId: string; userId: number | null; groupId: number | null; doneBy: number | null; name: string | null }
  /** The socket (re)connected or the poll came round: catch up with `since_time`. */
  | { kind: "catch_up" };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

const isMessage = (v: unknown): v is Message =>
  isObject(v) && typeof v.id === "string" && typeof v.customer_wa_id === "string" && isObject(v.waba_payload) && isObject(v.waba_statuses);

const OTHER_KEYS = ["chat_assignment", "chat_tagging", "message_tagging", "chat_resolved", "assigned_messages"];

const parse = (data: string): unknown => {
  try {
    return JSON.parse(data);
  } catch {
    return null;
  }
};

/** The chat an event is about, where the payload names it. */
function chatOf(payload: Record<string, unknown>): string | null {
  for (const [key, field] of [
    ["chat_tagging", "chat"],
    ["chat_resolved", "wa_id"],
  ] as const) {
    const value = payload[key];
    if (isObject(value) && typeof value[field] === "string") return value[field];
  }
  return null;
}

/** The answer to the token frame (`{"type": "token", "status": "success" | "failed"}`), or null for other frames. */
export function tokenAnswer(data: string): "success" | "failed" | null {
  const frame = parse(data);
  if (!isObject(frame) || frame.type !== "token") return null;
  return frame.status === "success" ? "success" : "failed";
}

export function eventsOf(data: string): LiveEvent[] {
  const frame = parse(data);
  // `getchat_webhook` repeats the inbox's own events for the vendor's client: one copy is enough.
  if (!isObject(frame) || frame.type !== "waba_webhook" || !isObject(frame.waba_payload)) return [];
  const payload = frame.waba_payload;
  const events: LiveEvent[] = [];
  for (const m of [...list(payload.incoming_messages), ...list(payload.outgoing_messages)]) {
    if (isMessage(m)) events.push({ kind: "message", message: m });
  }
  for (const s of list(payload.statuses)) {
    if (!isObject(s) || typeof s.id !== "string" || typeof s.status !== "string") continue;
    const value = s.status === "failed" || list(s.errors).length ? { timestamp: s.timestamp, errors: s.errors } : s.timestamp;
    events.push({ kind: "status", id: s.id, status: s.status, value });
  }
  const assignment = payload.chat_assignment;
  if (isObject(assignment) && typeof assignment.wa_id === "string") {
    const id = (v: unknown) => (isObject(v) && typeof v.id === "number" ? v.id : null);
    const contact = list(payload.contacts).find(isObject);
    const profile = contact && isObject(contact.profile) ? contact.profile : null;
    events.push({
      kind: "assigned",
      waId: assignment.wa_id,
      userId: id(assignment.assigned_to_user_set),
      groupId: id(assignment.assigned_group_set),
      doneBy: id(assignment.done_by),
      name: profile && typeof profile.name === "string" ? profile.name : null,
    });
  } else if (OTHER_KEYS.some((k) => k in payload)) events.push({ kind: "changed", waId: chatOf(payload) });
  return events;
}
