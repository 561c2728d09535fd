import { parsePhoneNumberFromString } from "libphonenumber-js";

/**
 * WhatsApp ids are E.164 numbers without the `+`. Returns that form for a valid
 * international number (with or without `+`), or null.
 */
export function parsePhoneNumber(value: string): string | null {
  const text = value.trim();
  const parsed = parsePhoneNumberFromString(text.startsWith("+") ? text : `+${text.replace(/^00/, "")}`);
  return parsed?.isPossible() ? parsed.number.slice(1) : null;
}

/**
 * The chat key for a `wa_id` given by a client: a phone number loses its formatting
 * (`+49 151-123` → `49151123`) but nothing else. WhatsApp's own ids are not always the
 * E.164 form (Mexico's `521…`, Brazil's numbers without the ninth digit), so the digits
 * are kept exactly as given. Business-scoped user ids pass through unchanged.
 */
export function toWaId(value: string): string {
  const text = value.trim();
  return /^\+?[\d\s().-]+$/.test(text) ? text.replace(/\D/g, "").replace(/^00/, "") : text;
}
