import { z } from "@hono/zod-openapi";
import type { Tagging, TaggingKind } from "../../db/queries/tags";
import { WaId } from "../../services/chat-scope";
import { UserSchema } from "../../services/users";

/** `extra` travels with every event of its tagging: kept small. */
const MAX_EXTRA_CHARS = 16_384;
const Extra = z
  .record(z.string(), z.unknown())
  .nullable()
  .optional()
  .refine(
    (v) => v === undefined || JSON.stringify(v).length <= MAX_EXTRA_CHARS,
    `Ensure this value has at most ${MAX_EXTRA_CHARS} characters as JSON.`,
  );
const TagRef = z.coerce.number().int().positive();

/** The two tagging resources differ only in what they tag: a chat (by wa_id) or a message (by WhatsApp id). */
export const KINDS = {
  chat: { field: "chat", path: "chat_tagging", target: WaId, label: "Chat" },
  message: { field: "message", path: "message_tagging", target: z.string().trim().min(1).max(200), label: "Message" },
} as const satisfies Record<TaggingKind, unknown>;

/** The body names its target `chat` or `message`; read here as `target`. */
const BODIES = {
  chat: z.object({ tag: TagRef, chat: KINDS.chat.target, extra: Extra }).transform(({ chat, ...b }) => ({ ...b, target: chat })),
  message: z
    .object({ tag: TagRef, message: KINDS.message.target, extra: Extra })
    .transform(({ message, ...b }) => ({ ...b, target: message })),
};
export const taggingBody = (kind: TaggingKind) => BODIES[kind];

export const taggingSchema = (kind: TaggingKind) =>
  z
    .object({
      id: z.number().int(),
      tag: z.number().int(),
      [KINDS[kind].field]: z.string(),
      extra: z.record(z.string(), z.unknown()).nullable(),
    })
    .openapi(`${KINDS[kind].label}Tagging`);

export const toTaggingWire = (kind: TaggingKind, t: Pick<Tagging, "id" | "tagId" | "waId" | "wamid" | "extra">) => ({
  id: t.id,
  tag: t.tagId,
  [KINDS[kind].field]: kind === "chat" ? t.waId : (t.wamid ?? ""),
  extra: t.extra,
});

export const taggingEventSchema = (kind: TaggingKind) =>
  z
    .object({
      timestamp: z.number().int(),
      action: z.enum(["added", "removed"]),
      tag: z.object({ id: z.number().int(), name: z.string(), web_inbox_color: z.string().nullable() }),
      [KINDS[kind].field]: z.string(),
      extra: z.record(z.string(), z.unknown()).nullable(),
      done_by: UserSchema.nullable(),
    })
    .openapi(`${KINDS[kind].label}TaggingEvent`);
