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

/**
 * Messages oldest first, each id once (the fetched copy wins: it carries later statuses).
 * `page` is newest first, as the API lists (equal seconds too), and holds messages newer
 * or older than `current`: within one second, arrival order is only known from where a
 * message sits in the pages, so the order is kept and the sort by time is stable.
 */
export function mergeMessages(current: Message[], page: Message[], side: "newer" | "older" = "newer"): Message[] {
  const incoming = [...page].reverse();
  const fetched = new Map(incoming.map((m) => [m.id, m]));
  const seen = new Set<string>();
  const merged: Message[] = [];
  for (const m of side === "newer" ? [...current, ...incoming] : [...incoming, ...current]) {
    if (seen.has(m.id)) continue;
    seen.add(m.id);
    merged.push(fetched.get(m.id) ?? m);
  }
  return merged.sort((a, b) => messageTime(a) - messageTime(b));
}

export const contactName = (contact: Chat["contact"]): string => {
  const profile = contact.waba_payload.profile;
  const name = profile && typeof profile === "object" ? (profile as { name?: unknown }).name : undefined;
  return typeof name === "string" && name.trim() ? name : `+${contact.wa_id}`;
};
