import type { ChatAssignmentEvent, ChatTaggingEvent, Message, MessageTaggingEvent } from "../api/types";
import { messageTime } from "../components/message-content";

/**
 * A thread as shown: messages and the chat's history (assignments, chat and message
 * taggings) in one order by time. A reaction is not a bubble of its own when the
 * message it reacts to is shown: it sits on that message (the latest per side; an
 * empty emoji takes it back). Events older than the oldest message shown wait until
 * older messages are loaded, so history never appears above a gap.
 */
export type History = { assignments: ChatAssignmentEvent[]; chatTaggings: ChatTaggingEvent[]; messageTaggings: MessageTaggingEvent[] };
export const NO_HISTORY: History = { assignments: [], chatTaggings: [], messageTaggings: [] };

export type Reaction = { emoji: string; fromUs: boolean };
export type TimelineItem =
  | { kind: "message"; message: Message; reactions: Reaction[]; quoted: Message | "elsewhere" | null }
  | { kind: "event"; key: string; time: number; text: string };

type Payload = Record<string, unknown>;
const object = (v: unknown): Payload => (v && typeof v === "object" && !Array.isArray(v) ? (v as Payload) : {});
const str = (v: unknown) => (typeof v === "string" ? v : "");

/** The message a reply quotes: `context.id` as WhatsApp delivers it, `context.message_id` as we sent it. */
export const quotedId = (message: Message): string | null => {
  const context = object(message.context ?? message.waba_payload.context);
  return str(context.id) || str(context.message_id) || null;
};

const who = (user: { username?: string } | null) => (user && "username" in user && user.username ? user.username : "Switchboard");

export function assignmentText(e: ChatAssignmentEvent): string {
  const parts: string[] = [];
  const user = e.assigned_to_user_set as { username?: string } | null;
  const group = e.assigned_group_set as { name?: string } | null;
  if (user?.username) parts.push(`assigned the chat to ${user.username}`);
  else if (e.assigned_to_user_was_cleared) parts.push("removed the chat's assigned user");
  if (group?.name) parts.push(`assigned the chat to the group ${group.name}`);
  else if (e.assigned_group_was_cleared) parts.push("removed the chat's group");
  return `${who(e.done_by as { username?: string } | null)} ${parts.join(" and ") || "changed the assignment"}`;
}

const taggingText = (e: ChatTaggingEvent | MessageTaggingEvent, what: string) =>
  `${who(e.done_by as { username?: string } | null)} ${e.action === "added" ? "tagged" : "untagged"} ${what} ${e.action === "added" ? "with" : "from"} ${e.tag.name}`;

export function buildTimeline(messages: Message[], history: History, complete: boolean): TimelineItem[] {
  const byId = new Map(messages.map((m) => [m.id, m]));
  const reactions = new Map<string, Map<boolean, string>>();
  const shown: Message[] = [];
  for (const m of messages) {
    const payload = m.waba_payload;
    const reaction = object(payload.reaction);
    const target = str(reaction.message_id);
    if (str(payload.type) === "reaction" && byId.has(target)) {
      const sides = reactions.get(target) ?? new Map<boolean, string>();
      sides.set(m.from_us, str(reaction.emoji));
      reactions.set(target, sides);
    } else shown.push(m);
  }
  const oldest = messages[0] ? messageTime(messages[0]) : Number.POSITIVE_INFINITY;
  const inRange = (time: number) => complete || time >= oldest;
  const items: { time: number; order: number; item: TimelineItem }[] = shown.map((m, order) => {
    const quoted = quotedId(m);
    return {
      time: messageTime(m),
      order,
      item: {
        kind: "message",
        message: m,
        reactions: [...(reactions.get(m.id) ?? new Map()).entries()]
          .filter(([, emoji]) => emoji)
          .map(([fromUs, emoji]) => ({ fromUs, emoji })),
        quoted: quoted ? (byId.get(quoted) ?? "elsewhere") : null,
      },
    };
  });
  const event = (key: string, time: number, text: string) => {
    if (inRange(time)) items.push({ time, order: Number.MAX_SAFE_INTEGER, item: { kind: "event", key, time, text } });
  };
  // The API lists history newest first: oldest first here, so events of one second keep their order.
  const oldestFirst = <T>(events: T[]) => [...events].reverse().entries();
  for (const [i, e] of oldestFirst(history.assignments)) event(`a${e.timestamp}-${i}`, e.timestamp, assignmentText(e));
  for (const [i, e] of oldestFirst(history.chatTaggings)) event(`c${e.timestamp}-${i}`, e.timestamp, taggingText(e, "the chat"));
  for (const [i, e] of oldestFirst(history.messageTaggings)) event(`m${e.timestamp}-${i}`, e.timestamp, taggingText(e, "a message"));
  // Stable: equal times keep messages in their order, history after the messages of its second.
  return items.sort((a, b) => a.time - b.time || a.order - b.order).map((x) => x.item);
}
