/**
 * Search terms and index text share one normalizer: NFKD without diacritics,
 * lower-case, runs of letters and digits. Each token is prefixed with the inbox key
 * (see migrations/0002_messages_fts.sql): 48 random bits of the inbox id, so keys of
 * different inboxes practically never collide (and queries still filter by inbox_id), so FTS5 term lookups stay inside one inbox.
 */
export function inboxKey(inboxId: string): string {
  return `i${inboxId.replace(/-/g, "").slice(0, 12).toLowerCase()}x`;
}

export function words(text: string): string[] {
  return (
    text
      .normalize("NFKD")
      .replace(/\p{M}+/gu, "")
      .toLowerCase()
      .match(/[\p{L}\p{N}]+/gu) ?? []
  );
}

/** The text stored in the FTS index for one message. */
export function indexText(inboxId: string, text: string): string {
  const key = inboxKey(inboxId);
  return words(text)
    .map((w) => key + w)
    .join(" ");
}

/** An FTS5 MATCH expression: every word as a prefix query, all required. Null when nothing is searchable. */
export function matchExpression(inboxId: string, query: string): string | null {
  const key = inboxKey(inboxId);
  const terms = words(query).slice(0, 16);
  return terms.length ? terms.map((w) => `"${key}${w}"*`).join(" AND ") : null;
}

/** Digits of a query that looks like (part of) a phone number, for matching chat numbers. */
export function phoneFragment(query: string): string | null {
  const digits = query.replace(/[\s+()\-.]/g, "");
  return /^\d{3,}$/.test(digits) ? digits : null;
}
