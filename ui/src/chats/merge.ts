import type { Chat, Message } from "../api/types";
import { messageTime } from "../components/message-content";

/** A reloaded first page on top; chats further down that it does not contain stay where they were. */
export function mergeFirstPage(current: Chat[], first: Chat[]): Chat[] {
  const fresh = new Set(first.map((c) => c.wa_id));
  return [...first, ...current.filter((c) => !fresh.has(c.wa_id))];
}

/** The next page below: chats already shown (moved up by new activity since) are not repeated. */
export function appendPage(current: Chat[], next: Chat[]): Chat[] {
  const shown = new Set(current.map((c) => c.wa_id));
  return [...current, ...next.filter((c) => !shown.has(c.wa_id))];
}

/** Messages oldest first, each id once (the newer copy wins: it carries later statuses). */
export function mergeMessages(current: Message[], incoming: Message[]): Message[] {
  const byId = new Map(current.map((m) => [m.id, m]));
  for (const m of incoming) byId.set(m.id, m);
  return [...byId.values()].sort((a, b) => messageTime(a) - messageTime(b));
}

export const contactName = (contact: Chat["contact"]): string => {
  const profile = contact.waba_payload.profile;
  const name = profile && typeof profile === "object" ? (profile as { name?: unknown }).name : undefined;
  return typeof name === "string" && name.trim() ? name : `+${contact.wa_id}`;
};
