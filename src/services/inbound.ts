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
      mediaId: mediaObject(m.type, m.payload)?.id ?? null,
      searchText: indexText(inboxId, searchableText(m.payload)),
      contact: contact?.raw ?? null,
      profileName: contact?.profileName ?? null,
    };
  });
  const statuses = batch.statuses.map((s): StatusRow => {
    const key = statusKey(s.status);
    const value = key === "failed" || s.errors.length ? { timestamp: s.timestamp, errors: s.errors } : s.timestamp;
    return { wamid: s.id, status: key, value, raw: s.payload };
  });
  return { messages, statuses };
}

/** The media object of a media message (`payload[type]` with a usable id), if any. */
export function mediaObject(
  type: string,
  payload: Record<string, unknown>,
): { id: string; sha256?: unknown; mime_type?: unknown } | undefined {
  const media = MEDIA_TYPES.includes(type) ? payload[type] : undefined;
  if (!media || typeof media !== "object") return undefined;
  const { id } = media as Record<string, unknown>;
  return typeof id === "string" && id && id.length <= 200 ? (media as { id: string }) : undefined;
}

/** The provider media of inbound messages, for download jobs. */
export function mediaOf(messages: InboundBatch["messages"]): { mediaId: string; sha256?: string; mimeType?: string }[] {
  return messages.flatMap((m) => {
    const media = mediaObject(m.type, m.payload);
    if (!media) return [];
    const { sha256, mime_type } = media;
    // Empty strings say nothing (and would fail the job schema): leave them out.
    return [
      {
        mediaId: media.id,
        sha256: typeof sha256 === "string" && sha256 ? sha256 : undefined,
        mimeType: typeof mime_type === "string" && mime_type ? mime_type : undefined,
      },
    ];
  });
}
