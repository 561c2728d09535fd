import { z } from "@hono/zod-openapi";
import { type ChatRecord, NEW_MESSAGES_CAP } from "../db/queries/chats";
import type { MessageRecord } from "../db/queries/messages";
import type { AttachedTag } from "../db/queries/tags";
import type { GroupRef, User } from "../db/queries/users";
import { GroupSchema, toUserWire, UserSchema } from "./users";

/** Wire shapes of the seed's Chat, RetrieveMessage and Person (contact), and their mappers. */
export const ContactSchema = z
  .object({
    wa_id: z.string(),
    waba_payload: z.record(z.string(), z.unknown()),
    initials: z.string(),
    last_message_timestamp: z.number().int().nullable(),
  })
  .openapi("Person");

/** A tag as attached to a chat or message: the tag's fields plus its tagging's id and `extra`. */
export const AttachedTagSchema = z
  .object({
    id: z.number().int(),
    name: z.string(),
    web_inbox_color: z.string().nullable(),
    tagging_id: z.number().int(),
    extra: z.record(z.string(), z.unknown()).nullable(),
  })
  .openapi("AttachedTag");

export const MessageSchema = z
  .object({
    id: z.string(),
    waba_payload: z.record(z.string(), z.unknown()),
    waba_statuses: z.record(z.string(), z.unknown()),
    contact: ContactSchema,
    from_us: z.boolean(),
    received: z.boolean(),
    sender: UserSchema.nullable(),
    context: z.record(z.string(), z.unknown()).nullable(),
    customer_wa_id: z.string(),
    tags: z.array(AttachedTagSchema),
  })
  .openapi("RetrieveMessage");

export const ChatSchema = z
  .object({
    contact: ContactSchema,
    new_messages: z
      .number()
      .int()
      .openapi({
        description: `Customer messages after your received mark, counted up to ${NEW_MESSAGES_CAP} (a chat with more shows ${NEW_MESSAGES_CAP}).`,
      }),
    wa_id: z.string(),
    last_message: MessageSchema.nullable(),
    assigned_to_user: UserSchema.nullable(),
    assigned_group: GroupSchema.nullable(),
    tags: z.array(AttachedTagSchema),
    resolved: z.boolean().openapi({ description: "Marked done (`PATCH /chats/{wa_id}/resolve`); a new customer message reopens it." }),
  })
  .openapi("Chat");

export const MEDIA_TYPES = ["image", "audio", "voice", "video", "document", "sticker"];

export function initials(name: string | null, waId: string): string {
  const letters = (name ?? "")
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((w) => Array.from(w)[0]?.toUpperCase() ?? "");
  return letters.join("") || waId.slice(-2);
}

export function toContactWire(r: { wa_id: string; contact: string; profile_name: string | null; last_message_timestamp: number | null }) {
  return {
    wa_id: r.wa_id,
    waba_payload: JSON.parse(r.contact) as Record<string, unknown>,
    initials: initials(r.profile_name, r.wa_id),
    last_message_timestamp: r.last_message_timestamp,
  };
}

/** Media links point at this API (`{base}/api/v1/media/{id}/`) whatever the provider sent. */
function withMediaLink(payload: Record<string, unknown>, baseUrl: string): Record<string, unknown> {
  const type = String(payload.type ?? "");
  const media = payload[type];
  if (!MEDIA_TYPES.includes(type) || !media || typeof media !== "object" || typeof (media as { id?: unknown }).id !== "string")
    return payload;
  const id = (media as { id: string }).id;
  return { ...payload, [type]: { ...media, link: `${baseUrl}/api/v1/media/${encodeURIComponent(id)}/` } };
}

export type People = {
  users: Map<number, User>;
  groups: Map<number, GroupRef[]>;
  groupNames: Map<number, GroupRef>;
  tags: { chats: Map<string, AttachedTag[]>; messages: Map<string, AttachedTag[]> };
};

/** A user a page refers to (sender, assignee, `done_by`) as the seed's User, or null. */
export function personWire(people: People, userId: number | null, baseUrl: string) {
  const user = userId === null ? undefined : people.users.get(userId);
  return user ? toUserWire(user, people.groups.get(user.id) ?? [], baseUrl) : null;
}

export function toMessageWire(r: MessageRecord, people: People, baseUrl: string): z.infer<typeof MessageSchema> {
  const payload = JSON.parse(r.payload) as Record<string, unknown>;
  const context = payload.context;
  return {
    id: r.wamid,
    waba_payload: withMediaLink(payload, baseUrl),
    waba_statuses: JSON.parse(r.statuses) as Record<string, unknown>,
    contact: toContactWire({ ...r, last_message_timestamp: r.chat_last_message_timestamp }),
    from_us: r.from_us === 1,
    received: r.mark !== null && r.timestamp <= r.mark,
    sender: personWire(people, r.sender_user_id, baseUrl),
    context: context && typeof context === "object" ? (context as Record<string, unknown>) : null,
    customer_wa_id: r.wa_id,
    tags: people.tags.messages.get(r.wamid) ?? [],
  };
}

export function toChatWire(r: ChatRecord, last: MessageRecord | undefined, people: People, baseUrl: string): z.infer<typeof ChatSchema> {
  return {
    contact: toContactWire(r),
    new_messages: r.new_messages,
    wa_id: r.wa_id,
    last_message: last ? toMessageWire(last, people, baseUrl) : null,
    assigned_to_user: personWire(people, r.assigned_to_user, baseUrl),
    assigned_group: r.assigned_group === null ? null : (people.groupNames.get(r.assigned_group) ?? null),
    tags: people.tags.chats.get(r.wa_id) ?? [],
    resolved: r.resolved === 1,
  };
}
