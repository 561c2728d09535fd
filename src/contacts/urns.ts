import { parsePhoneNumber, toWaId } from "../services/phone-numbers";

/**
 * Contact URNs as RapidPro normalises and validates them (`URN.normalize` + `URN.validate`), for workspaces that
 * have no default country: a phone number counts only when it carries its country code.
 */
export type Urn = { scheme: string; path: string; identity: string; display: string | null };

/** Each scheme's check on a trimmed, non-empty path: the normalised path, or null when it is not one. */
type PathCheck = (path: string) => string | null;

const DIGITS = /^\d+$/;
const HANDLE = /^[a-zA-Z0-9_]{1,15}$/;
// Meta's business-scoped user id: ISO 3166 alpha-2 country, a dot, up to 128 letters and digits.
const BSUID = /^[A-Z]{2}\.[A-Za-z0-9]{1,128}$/;
// Django's validate_email, which RapidPro uses, without quoted local parts and IP literals.
const EMAIL_USER = /^[-!#$%&'*+/=?^_`{}|~0-9a-z]+(\.[-!#$%&'*+/=?^_`{}|~0-9a-z]+)*$/;
const EMAIL_DOMAIN = /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9-]{2,63}(?<!-)$/;

const digits: PathCheck = (path) => (DIGITS.test(path) ? path : null);
const anything: PathCheck = (path) => path;

const CHECKS: Record<string, PathCheck> = {
  tel: telPath,
  // A wa_id is not always the E.164 form (Mexico's 521…, Brazil's numbers with or without the ninth digit), and
  // WhatsApp answers to the form it gave: 8- and 9-digit variants are different URNs, so nothing is reformatted.
  whatsapp: (path) => (DIGITS.test(path) || BSUID.test(path) ? path : null),
  mailto: (path) => {
    const address = path.toLowerCase();
    return isEmail(address) ? address : null;
  },
  ext: anything,
  facebook: (path) => (DIGITS.test(path) || /^ref:./.test(path) ? path : null),
  // Handles are case-insensitive, so one spelling is kept for matching.
  twitter: (path) => {
    const handle = path.toLowerCase().replace(/^@/, "");
    return HANDLE.test(handle) ? handle : null;
  },
  twitterid: digits,
  telegram: digits,
  viber: (path) => (/^[a-zA-Z0-9_=]{1,24}$/.test(path) ? path : null),
  line: anything,
  jiochat: anything,
  wechat: anything,
  fcm: anything,
  freshchat: anything,
  vk: anything,
  rocketchat: anything,
  discord: digits,
  // Webchat ids may be 1–255 characters, which the cap on the whole URN already ensures.
  webchat: anything,
};

export const URN_SCHEMES: readonly string[] = Object.keys(CHECKS);

// RapidPro's limit on a URN (its identity column), counted in code points as Python's len() counts.
const MAX_LENGTH = 255;

/** Normalises `scheme:path[?query][#display]`; null when the scheme is unknown or the path fails its check. */
export function parseUrn(input: string): Urn | null {
  if ([...input].length > MAX_LENGTH) return null;
  // As RapidPro's parser: the first ':' ends the scheme, at most one query and one display, the query first.
  const parts = /^([^:]+):([^?#]*)(?:\?[^?#]*)?(?:#([^?#]*))?$/.exec(input);
  if (!parts) return null;
  const [, scheme = "", rawPath = "", rawDisplay = ""] = parts;
  // Own keys only: `constructor:x` must not find Object's prototype.
  const check = Object.hasOwn(CHECKS, scheme) ? CHECKS[scheme] : undefined;
  const trimmed = unescapePart(rawPath).trim();
  const path = check && trimmed ? check(trimmed) : null;
  if (!path) return null;
  let display = unescapePart(rawDisplay) || null;
  // A Twitter id's display is the screen name, so it is held to the handle's rules.
  if (scheme === "twitterid" && display) {
    display = display.trim().toLowerCase().replace(/^@/, "") || null;
    if (display && !HANDLE.test(display)) return null;
  }
  return { scheme, path, identity: `${scheme}:${escapePart(path)}`, display };
}

export function invalidUrnMessage(input: string): string {
  return `Invalid URN: ${input}. Ensure phone numbers contain country codes.`;
}

/** Seed 003 / Polser phone keys: formatting stripped as for wa_id (digits as given, leading 00 dropped); null unless a possible international number. Returns the digits without '+'. */
export function phoneDigits(input: string): string | null {
  const digits = toWaId(input);
  // `+` first, so that a second leading 00 is not dropped too: "000049…" is no international number.
  return DIGITS.test(digits) && parsePhoneNumber(`+${digits}`) ? digits : null;
}

/**
 * The URNs a phone number is looked up by, in priority order: [`whatsapp:<digits>`, `tel:+<digits>`].
 * The `tel:` form equals `parseUrn`'s E.164 identity only where the digits are already E.164 (`+44 (0)20…` is not).
 */
export function phoneIdentities(digits: string): [string, string] {
  return [`whatsapp:${digits}`, `tel:+${digits}`];
}

/**
 * RapidPro's `normalize_number` without a default country: only a number written internationally (a leading `+`,
 * or 11 digits or more not starting with 0) can become E.164, so `0049…` and `0151…` are refused.
 */
function telPath(path: string): string | null {
  // Spreadsheets show long numbers as 2.50788383383E+11; the mantissa's digits are the number.
  const cleaned = path.replace(/e\+1[12]$/i, "").replace(/[^0-9a-z]/gi, "");
  // Letters are refused: libphonenumber-js reads neither vanity numbers (1800FLOWERS) nor extensions as Python did.
  if (!DIGITS.test(cleaned)) return null;
  if (!path.startsWith("+") && (cleaned.length < 11 || cleaned.startsWith("0"))) return null;
  const e164 = parsePhoneNumber(`+${cleaned}`);
  return e164 ? `+${e164}` : null;
}

function isEmail(address: string): boolean {
  const at = address.lastIndexOf("@");
  const user = address.slice(0, at);
  const domain = address.slice(at + 1);
  if (at < 1 || !EMAIL_USER.test(user)) return false;
  return domain === "localhost" || EMAIL_DOMAIN.test(domain) || EMAIL_DOMAIN.test(toAscii(domain));
}

/** An internationalised domain in its punycode form, as Django tries before refusing it; "" when it is none. */
function toAscii(domain: string): string {
  // Only letters, marks, digits, dots and hyphens reach the URL parser, so it cannot read a port, path or user.
  if (!/^[\p{L}\p{M}\p{N}.-]+$/u.test(domain)) return "";
  try {
    return new URL(`http://${domain}`).hostname;
  } catch {
    return "";
  }
}

// RapidPro escapes these three in a URN's parts so that a path or display may contain them.
function escapePart(text: string): string {
  return text.replace(/[#%?]/g, (c) => encodeURIComponent(c));
}

function unescapePart(text: string): string {
  return text.replace(/%(23|25|3F)/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
}
