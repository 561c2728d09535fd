import { isoToMicros, microsToIso } from "./times";

/**
 * Contact field values: the one type set of the three dialects (RapidPro v2's six types,
 * seed 003's date, boolean and options), and how a stored text becomes its typed value.
 * v2 is lenient (a text that does not parse is kept and reads as null); seed 003 is strict
 * (DRF's messages). Typed forms: numbers are JS numbers, datetimes ISO 8601 UTC with
 * microseconds, dates `YYYY-MM-DD`, booleans true/false, everything else the string.
 */

export const VALUE_TYPES = ["text", "numeric", "datetime", "date", "boolean", "options", "state", "district", "ward"] as const;
export type ValueType = (typeof VALUE_TYPES)[number];
export type FieldDef = { valueType: string; options: string[] | null };
export type Typed = string | number | boolean | null;

export const MAX_VALUE_LENGTH = 640;

// Python's Decimal syntax (which DRF's DecimalField and RapidPro read numbers with), finite values only.
const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?$/i;
const ISO_DATE = /^(\d{4})-(\d{1,2})-(\d{1,2})$/;
// RapidPro's workspaces read dates day first (DD-MM-YYYY), with any of its separators, optionally followed by a time.
const DAY_FIRST = /^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})(?:([T ])(.+))?$/i;
const TRUE = new Set(["true", "1", "yes"]);
const FALSE = new Set(["false", "0", "no"]);

/** RapidPro v2 (lenient): the typed value of a stored text, null when it does not parse as the field's type. */
export function lenientValue(field: FieldDef, text: string): Typed {
  const trimmed = text.trim();
  switch (field.valueType) {
    case "numeric":
      return parseNumber(trimmed);
    case "datetime":
      return parseDatetime(trimmed);
    case "date":
      return parseDate(trimmed) ?? datetimeDate(trimmed);
    case "boolean":
      return parseBoolean(trimmed);
    case "options": {
      const wanted = trimmed.toLowerCase();
      return field.options?.find((o) => o === trimmed) ?? field.options?.find((o) => o.toLowerCase() === wanted) ?? null;
    }
    default:
      return text;
  }
}

/** Seed 003 (strict): the typed value, or the DRF message refusing it. */
export function strictValue(field: FieldDef, text: string): { value: Typed } | { error: string } {
  if (text.includes("\u0000")) return { error: "Null characters are not allowed." };
  const ok = (value: Typed, error: string) => (value === null ? { error } : { value });
  const trimmed = text.trim();
  switch (field.valueType) {
    case "numeric":
      return ok(parseNumber(trimmed), "A valid number is required.");
    case "datetime":
      return ok(
        isoDatetime(trimmed),
        "Datetime has wrong format. Use one of these formats instead: YYYY-MM-DDThh:mm[:ss[.uuuuuu]][+HH:MM|-HH:MM|Z].",
      );
    case "date":
      return ok(parseIsoDate(trimmed), "Date has wrong format. Use one of these formats instead: YYYY-MM-DD.");
    case "boolean":
      return ok(parseBoolean(trimmed), "Must be a valid boolean.");
    case "options":
      // DRF's ChoiceField: the text exactly as one of the choices.
      return field.options?.includes(text) ? { value: text } : { error: `"${text}" is not a valid choice.` };
    default:
      return [...text].length > MAX_VALUE_LENGTH
        ? { error: `Ensure this field has no more than ${MAX_VALUE_LENGTH} characters.` }
        : { value: text };
  }
}

/** How v2 shows a typed value: numbers without trailing zeros, datetimes in UTC ISO 8601 with microseconds, booleans "true"/"false", dates YYYY-MM-DD, text/options as is; null stays null. */
export function v2String(_field: FieldDef, typed: Typed): string | null {
  if (typed === null) return null;
  if (typeof typed === "number") return plainNumber(typed);
  if (typeof typed === "boolean") return typed ? "true" : "false";
  return typed;
}

/**
 * For identifier fields: the normalised value the unique index holds, or null for an
 * empty value. A value that parses is held in its canonical form (so `1.50` and `1.5`, or
 * one instant in two zones, are the same value), lower-cased; one that does not parse is
 * its trimmed, lower-cased text, which can never equal a canonical form of that type.
 */
export function identityOf(field: FieldDef, text: string): string | null {
  const trimmed = text.trim();
  if (trimmed === "") return null;
  const typed = lenientValue(field, trimmed);
  return (typed === null ? trimmed : (v2String(field, typed) ?? trimmed)).toLowerCase();
}

function parseNumber(text: string): number | null {
  if (!DECIMAL.test(text)) return null;
  const value = Number(text);
  if (!Number.isFinite(value)) return null;
  return value === 0 ? 0 : value;
}

function parseBoolean(text: string): boolean | null {
  const lower = text.toLowerCase();
  return TRUE.has(lower) ? true : FALSE.has(lower) ? false : null;
}

/** A calendar date as `YYYY-MM-DD`, null when the day does not exist. */
function calendarDate(year: string, month: string, day: string): string | null {
  const iso = `${year}-${month.padStart(2, "0")}-${day.padStart(2, "0")}`;
  const parsed = new Date(`${iso}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 10) === iso ? iso : null;
}

/** Django's `parse_date`: `YYYY-M-D`. */
function parseIsoDate(text: string): string | null {
  const parts = ISO_DATE.exec(text);
  return parts ? calendarDate(parts[1] as string, parts[2] as string, parts[3] as string) : null;
}

/** A date alone, ISO or day first. */
function parseDate(text: string): string | null {
  const dayFirst = DAY_FIRST.exec(text);
  if (dayFirst && dayFirst[4] === undefined) return calendarDate(dayFirst[3] as string, dayFirst[2] as string, dayFirst[1] as string);
  return parseIsoDate(text);
}

/** A datetime with a zone, as written (its own calendar date, not UTC's). */
function datetimeDate(text: string): string | null {
  const iso = dayFirstToIso(text) ?? text;
  return isoToMicros(iso) === null ? null : iso.slice(0, 10);
}

/** ISO 8601 with a zone (`T` or a space): the instant in UTC with microseconds. */
function isoDatetime(text: string): string | null {
  const micros = isoToMicros(text);
  return micros === null ? null : microsToIso(micros);
}

/**
 * RapidPro v2's datetimes: ISO 8601 with a zone, or day first; a date alone is that day's
 * midnight UTC (workspaces have no time zone); a time without a zone is ambiguous: null.
 */
function parseDatetime(text: string): string | null {
  const date = parseDate(text);
  if (date) return `${date}T00:00:00.000000Z`;
  return isoDatetime(dayFirstToIso(text) ?? text);
}

function dayFirstToIso(text: string): string | null {
  const parts = DAY_FIRST.exec(text);
  if (!parts || parts[4] === undefined) return null;
  const date = calendarDate(parts[3] as string, parts[2] as string, parts[1] as string);
  return date ? `${date}${parts[4]}${parts[5]}` : null;
}

/** A number as RapidPro shows it: no exponent, no trailing zeros. */
function plainNumber(n: number): string {
  const text = String(n);
  const parts = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(text);
  if (!parts) return text;
  const [, sign = "", lead = "", fraction = "", exponent = "0"] = parts;
  const digits = lead + fraction;
  const e = Number(exponent);
  // JS writes an exponent only from 1e21 up (more digits than the significand) or below 1e-6.
  return e >= 0 ? sign + digits.padEnd(e + 1, "0") : `${sign}0.${"0".repeat(-e - 1)}${digits}`;
}
