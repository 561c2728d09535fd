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
