/**
 * Contact times are POSIX microseconds, shown as RapidPro shows them: ISO 8601 UTC with
 * six fractional digits (`2020-08-12T13:30:45.123456Z`).
 */
export const nowMicros = () => Date.now() * 1000;

export function microsToIso(micros: number): string {
  const ms = Math.floor(micros / 1000);
  const fraction = String(micros - Math.floor(micros / 1_000_000) * 1_000_000).padStart(6, "0");
  return `${new Date(ms).toISOString().slice(0, 19)}.${fraction}Z`;
}

export const microsToIsoOrNull = (micros: number | null) => (micros === null ? null : microsToIso(micros));

// Date and time, `T` or a space between them, up to six fractional digits (more are cut), and a zone.
const ISO = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2})?)(?:[.,](\d+))?(Z|[+-]\d{2}(?::?\d{2})?)$/i;

/** An ISO 8601 datetime with a zone as microseconds; null when it is not one. */
export function isoToMicros(text: string): number | null {
  const parts = ISO.exec(text.trim());
  if (!parts) return null;
  const [, date, time = "", fraction = "", zone = "Z"] = parts;
  const offset = zone.toUpperCase() === "Z" ? "Z" : zone.length === 3 ? `${zone}:00` : zone.replace(/^([+-]\d{2})(\d{2})$/, "$1:$2");
  const seconds = Date.parse(`${date}T${time.length === 5 ? `${time}:00` : time}${offset}`);
  if (Number.isNaN(seconds)) return null;
  // Date.parse would roll 2020-02-30 over into March: the calendar date must survive the round trip.
  const local = new Date(seconds + offsetMinutes(offset) * 60_000).toISOString().slice(0, 10);
  if (local !== date) return null;
  return seconds * 1000 + Number(fraction.slice(0, 6).padEnd(6, "0"));
}

function offsetMinutes(offset: string): number {
  if (offset === "Z") return 0;
  const sign = offset.startsWith("-") ? -1 : 1;
  const [h = "0", m = "0"] = offset.slice(1).split(":");
  return sign * (Number(h) * 60 + Number(m));
}
