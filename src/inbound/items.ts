import { z } from "zod";
import { isRecord, stringAt } from "./json";

/**
 * Parsers for the single items inside a webhook (one contact, message or status).
 * Each returns a result instead of throwing so one bad item never costs the rest.
 */

export type InboundContact = { waId: string | null; userId: string | null; profileName: string | null; raw: Record<string, unknown> };
export type InboundMessage = {
  id: string;
  from: string | null;
  fromUserId: string | null;
  /** POSIX seconds. */
  timestamp: number;
  type: string;
  /** The message object exactly as received (this becomes waba_payload). */
  payload: Record<string, unknown>;
  contextId: string | null;
};
export type InboundStatus = {
  id: string;
  status: string;
  timestamp: number;
  recipientId: string | null;
  errors: unknown[];
  payload: Record<string, unknown>;
};

export type ItemResult<T> = { ok: true; value: T } | { ok: false; reason: string };

/** Anything above this is milliseconds: 1e11 seconds is the year 5138, 1e11 ms is 1973. */
const MILLISECONDS_THRESHOLD = 1e11;

/** Meta sends POSIX seconds as a string; some relays send numbers or milliseconds. */
export function toSeconds(value: number): number {
  return Math.floor(value > MILLISECONDS_THRESHOLD ? value / 1000 : value);
}

const Timestamp = z
  .union([z.number().nonnegative(), z.string().regex(/^\s*\d+(\.\d+)?\s*$/, "expected a numeric timestamp")])
  .transform((value) => toSeconds(Number(value)));

const MessageSchema = z.looseObject({
  id: z.string().min(1),
  timestamp: Timestamp,
  type: z.string().min(1),
});

const StatusSchema = z.looseObject({
  id: z.string().min(1),
  status: z.string().min(1),
  timestamp: Timestamp,
  errors: z.array(z.unknown()).nullish(),
});

function describe(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.join(".") || "(root)"}: ${issue.message}`).join("; ");
}

/** An empty string identifies nobody, so it counts as absent. */
function nonEmpty(value: string | null): string | null {
  return value ? value : null;
}

export function parseContact(item: unknown): ItemResult<InboundContact> {
  if (!isRecord(item)) return { ok: false, reason: "contact is not an object" };
  const waId = nonEmpty(stringAt(item, "wa_id"));
  const userId = nonEmpty(stringAt(item, "user_id"));
  if (!waId && !userId) return { ok: false, reason: "contact has neither wa_id nor user_id" };
  return { ok: true, value: { waId, userId, profileName: nonEmpty(stringAt(item, "profile", "name")), raw: item } };
}

export function parseMessage(item: unknown): ItemResult<InboundMessage> {
  if (!isRecord(item)) return { ok: false, reason: "message is not an object" };
  const parsed = MessageSchema.safeParse(item);
  if (!parsed.success) return { ok: false, reason: `message: ${describe(parsed.error)}` };
  // Users with a WhatsApp username may come with only their business-scoped id.
  const from = nonEmpty(stringAt(item, "from"));
  const fromUserId = nonEmpty(stringAt(item, "from_user_id"));
  if (!from && !fromUserId) return { ok: false, reason: "message has neither from nor from_user_id" };
  const { id, timestamp, type } = parsed.data;
  // `payload` is the original object, not zod's copy, so it is stored exactly as received.
  return {
    ok: true,
    value: { id, from, fromUserId, timestamp, type, payload: item, contextId: nonEmpty(stringAt(item, "context", "id")) },
  };
}

export function parseStatus(item: unknown): ItemResult<InboundStatus> {
  if (!isRecord(item)) return { ok: false, reason: "status is not an object" };
  const parsed = StatusSchema.safeParse(item);
  if (!parsed.success) return { ok: false, reason: `status: ${describe(parsed.error)}` };
  const { id, status, timestamp, errors } = parsed.data;
  return {
    ok: true,
    value: {
      id,
      status: status.toLowerCase(),
      timestamp,
      recipientId: nonEmpty(stringAt(item, "recipient_id")),
      errors: errors ?? [],
      payload: item,
    },
  };
}
