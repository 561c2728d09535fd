import type { StatusRow } from "../db/queries/ingest";
import type { InboundBatch, InboundContact } from "../inbound/envelope";
import { searchableText } from "../inbound/search-text";
import type { IncomingMessage } from "../inbox/inbox-object";
import { MEDIA_TYPES } from "./messages";
import { indexText } from "./search";

/** Status keys become JSON object keys in `waba_statuses`: anything odd is recorded as `unknown`. */
const statusKey = (status: string) => (/^[a-z_]{1,32}$/.test(status) ? status : "unknown");

/** Turns a parsed webhook into what the inbox object stores: messages with their chat and contact, and statuses. */
export function toIngest(inboxId: string, batch: InboundBatch): { messages: IncomingMessage[]; statuses: StatusRow[] } {
  const contactOf = (waId: string | null, userId: string | null): InboundContact | undefined =>
    batch.contacts.find((c) => (waId && c.waId === waId) || (userId && c.userId === userId));
  const messages = batch.messages.map((m): IncomingMessage => {
    const contact = contactOf(m.from, m.fromUserId);
    const waId = (m.from ?? m.fromUserId) as string;
    return {
      wamid: m.id,
      waId,
      fromUs: false,
      timestamp: m.timestamp,
      type: m.type,
      payload: JSON.stringify(m.payload),
      senderUserId: null,
      contextWamid: m.contextId,
      searchText: indexText(inboxId, searchableText(m.payload)),
      contact: contact?.raw ?? null,
      profileName: contact?.profileName ?? null,
    };
  });
  const statuses = batch.statuses.map((s): StatusRow => {
    const key = statusKey(s.status);
    const value = key === "failed" || s.errors.length ? { timestamp: s.timestamp, errors: s.errors } : s.timestamp;
    return { wamid: s.id, status: key, value };
  });
  return { messages, statuses };
}

/** The provider media of inbound messages, for download jobs. */
export function mediaOf(messages: InboundBatch["messages"]): { mediaId: string; sha256?: string; mimeType?: string }[] {
  const out: { mediaId: string; sha256?: string; mimeType?: string }[] = [];
  for (const m of messages) {
    const media = MEDIA_TYPES.includes(m.type) ? m.payload[m.type] : undefined;
    if (!media || typeof media !== "object") continue;
    const { id, sha256, mime_type } = media as Record<string, unknown>;
    if (typeof id !== "string" || !id || id.length > 200) continue;
    out.push({
      mediaId: id,
      // Empty strings say nothing (and would fail the job schema): leave them out.
      sha256: typeof sha256 === "string" && sha256 ? sha256 : undefined,
      mimeType: typeof mime_type === "string" && mime_type ? mime_type : undefined,
    });
  }
  return out;
}
