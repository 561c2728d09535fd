import { isRecord, stringAt } from "./json";

/** Paths of the human-readable strings inside a WhatsApp message object, in output order. */
const TEXT_PATHS: readonly (readonly string[])[] = [
  ["text", "body"],
  ["image", "caption"],
  ["video", "caption"],
  ["document", "caption"],
  ["document", "filename"],
  ["interactive", "button_reply", "title"],
  ["interactive", "list_reply", "title"],
  ["interactive", "list_reply", "description"],
  ["button", "text"],
  ["location", "name"],
  ["location", "address"],
];

/** Read after the shared contacts, so each part follows the order of the message fields above. */
const TRAILING_PATHS: readonly (readonly string[])[] = [
  ["reaction", "emoji"],
  ["order", "text"],
  ["system", "body"],
  ["referral", "headline"],
  ["referral", "body"],
];

/** Formatted names and phone numbers of shared contact cards. */
function contactCardTexts(payload: Record<string, unknown>): (string | null)[] {
  const cards = payload.contacts;
  if (!Array.isArray(cards)) return [];
  return cards.flatMap((card) => {
    const phones = isRecord(card) && Array.isArray(card.phones) ? card.phones : [];
    return [stringAt(card, "name", "formatted_name"), ...phones.map((phone) => stringAt(phone, "phone"))];
  });
}

/**
 * The text a full-text index should hold for one inbound message: bodies,
 * captions, file names, reply titles, shared contacts and locations, reactions.
 * Returns "" when the message has none (plain media, stickers, voice notes).
 */
export function searchableText(payload: Record<string, unknown>): string {
  const parts = [
    ...TEXT_PATHS.map((path) => stringAt(payload, ...path)),
    ...contactCardTexts(payload),
    ...TRAILING_PATHS.map((path) => stringAt(payload, ...path)),
  ];
  return parts
    .map((part) => part?.trim() ?? "")
    .filter((part) => part !== "")
    .join(" ");
}
