import { z } from "zod";
import { type JsonLimits, limitProblem, MAX_DEPTH } from "../http/json";
import {
  type InboundContact,
  type InboundMessage,
  type InboundStatus,
  type ItemResult,
  parseContact,
  parseMessage,
  parseStatus,
} from "./items";
import { isRecord, stringAt } from "./json";

export type { InboundContact, InboundMessage, InboundStatus } from "./items";

export type InboundBatch = {
  contacts: InboundContact[];
  messages: InboundMessage[];
  statuses: InboundStatus[];
  errors: unknown[];
  /** Changes of any field other than `messages` (template status, account updates, ...). */
  other: { field: string; value: unknown }[];
  /** Items that could not be read; everything else in the webhook is still processed. */
  invalid: { reason: string; item: unknown }[];
  /** metadata.phone_number_id of the first change that has one. */
  phoneNumberId: string | null;
};

// Loose objects: Meta adds fields over time, and an unknown field must never reject a webhook.
const CloudEnvelope = z.looseObject({ entry: z.array(z.unknown()) });
const Entry = z.looseObject({ changes: z.array(z.unknown()) });
const Change = z.looseObject({ field: z.string().min(1), value: z.unknown() });

/** The lists a `messages` change value (Cloud) or a whole on-premises body may carry. */
const LIST_KEYS = ["contacts", "messages", "statuses", "errors"] as const;

function emptyBatch(): InboundBatch {
  return { contacts: [], messages: [], statuses: [], errors: [], other: [], invalid: [], phoneNumberId: null };
}

/** Reads `value[key]` as a list; a present non-list is reported, not thrown. */
function listAt(batch: InboundBatch, value: Record<string, unknown>, key: string): unknown[] {
  const list = value[key];
  if (list === undefined || list === null) return [];
  if (Array.isArray(list)) return list;
  batch.invalid.push({ reason: `${key} is not an array`, item: list });
  return [];
}

/**
 * What D1 can hold of one item: a redelivery never changes an item, so one beyond these
 * limits is kept as unreadable (with its reason) instead of failing every redelivery.
 * WhatsApp's own items are a few KB (text bodies stop at 4,096 characters).
 */
export const ITEM_LIMITS: JsonLimits = { depth: MAX_DEPTH, values: 10_000, chars: 256 * 1024 };

function itemProblem(kind: string, item: unknown): string | null {
  const problem = limitProblem(item, ITEM_LIMITS);
  return problem && `${kind} is ${problem}`;
}

/** Reads every item of `list` with `parse`, after the storage limits. */
function readItems<T>(batch: InboundBatch, kind: string, list: unknown[], parse: (item: unknown) => ItemResult<T>, into: T[]): void {
  for (const item of list) {
    const problem = itemProblem(kind, item);
    const result = problem ? { ok: false as const, reason: problem } : parse(item);
    if (result.ok) into.push(result.value);
    else batch.invalid.push({ reason: result.reason, item });
  }
}

/** Adds the contacts, messages, statuses and errors of one payload, in the order received. */
function collect(batch: InboundBatch, value: Record<string, unknown>): void {
  readItems(batch, "contact", listAt(batch, value, "contacts"), parseContact, batch.contacts);
  readItems(batch, "message", listAt(batch, value, "messages"), parseMessage, batch.messages);
  readItems(batch, "status", listAt(batch, value, "statuses"), parseStatus, batch.statuses);
  batch.errors.push(...listAt(batch, value, "errors"));
}

function hasLists(value: Record<string, unknown>): boolean {
  return LIST_KEYS.some((key) => value[key] !== undefined && value[key] !== null);
}

function collectChange(batch: InboundBatch, change: unknown, phoneNumberId: string | undefined): void {
  const parsed = Change.safeParse(change);
  if (!parsed.success) {
    batch.invalid.push({ reason: "change has no field", item: change });
    return;
  }
  const { field, value } = parsed.data;
  // A `messages` change without any list (a newer event kind) is kept for the caller, not lost.
  if (field !== "messages" || !isRecord(value) || !hasLists(value)) {
    batch.other.push({ field, value });
    return;
  }
  const number = stringAt(value, "metadata", "phone_number_id");
  // One Meta app may serve many numbers with one app secret: a change for another number
  // is not this inbox's traffic, however validly signed.
  if (phoneNumberId && number !== phoneNumberId) {
    batch.invalid.push({ reason: `change is for phone_number_id ${number ?? "(none)"}, not this inbox's`, item: change });
    return;
  }
  batch.phoneNumberId ??= number;
  collect(batch, value);
}

/**
 * Reads an inbound WhatsApp webhook body, either a Cloud API envelope
 * (`{object, entry: [{changes: [{field, value}]}]}`) or an on-premises payload
 * (`{contacts, messages, statuses, errors}`). Every entry, change and item is
 * processed; what cannot be read lands in `invalid`. With `phoneNumberId`, Cloud changes
 * for any other number land there too. Never throws.
 */
export function parseWebhook(body: unknown, options: { phoneNumberId?: string } = {}): InboundBatch {
  const batch = emptyBatch();
  if (!isRecord(body)) {
    batch.invalid.push({ reason: "body is not a JSON object", item: body });
    return batch;
  }
  if ("entry" in body) {
    const envelope = CloudEnvelope.safeParse(body);
    if (!envelope.success) {
      batch.invalid.push({ reason: "entry is not an array", item: body });
      return batch;
    }
    for (const entry of envelope.data.entry) {
      const parsed = Entry.safeParse(entry);
      if (!parsed.success) batch.invalid.push({ reason: "entry has no changes array", item: entry });
      else for (const change of parsed.data.changes) collectChange(batch, change, options.phoneNumberId);
    }
    return batch;
  }
  if (hasLists(body)) {
    collect(batch, body);
    return batch;
  }
  batch.invalid.push({ reason: "body is neither a Cloud API envelope nor an on-premises payload", item: body });
  return batch;
}
