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
  | { kind: "changed" }
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
  if (OTHER_KEYS.some((k) => k in payload)) events.push({ kind: "changed" });
  return events;
}
