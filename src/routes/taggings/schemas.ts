import { z } from "@hono/zod-openapi";
import type { TaggingKind } from "../../db/queries/tagging-writes";
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
export const taggingBody = (kind: TaggingKind) =>
  z.object({ tag: TagRef, [KINDS[kind].field]: KINDS[kind].target, extra: Extra }).transform((b) => ({
    tag: b.tag as number,
    target: String(b[KINDS[kind].field]),
    extra: b.extra as Record<string, unknown> | null | undefined,
  }));

export const taggingSchema = (kind: TaggingKind) =>
  z
    .object({
      id: z.number().int(),
      tag: z.number().int(),
      [KINDS[kind].field]: z.string(),
      extra: z.record(z.string(), z.unknown()).nullable(),
    })
    .openapi(`${KINDS[kind].label}Tagging`);

export const toTaggingWire = (kind: TaggingKind, t: { id: number; tagId: number; waId: string; wamid: string | null; extra: unknown }) => ({
  id: t.id,
  tag: t.tagId,
  [KINDS[kind].field]: kind === "chat" ? t.waId : (t.wamid as string),
  extra: (t.extra ?? null) as Record<string, unknown> | null,
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
