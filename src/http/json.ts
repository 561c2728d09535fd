/**
 * The one JSON reader for everything the Worker accepts from outside: API bodies,
 * platform bodies, inbound webhooks, provider answers, and later queue bodies and
 * rule-engine answers. `JSON.parse` itself copes with any nesting, but what comes after
 * does not: workerd's `JSON.stringify` overflows its stack near 10,000 levels, zod
 * recurses, and SQLite's JSON functions refuse more than 1,000. So a document is held to
 * MAX_DEPTH levels and MAX_VALUES values before any schema sees it, and nothing deeper
 * can ever be stored.
 */
export const MAX_DEPTH = 64;
export const MAX_VALUES = 100_000;

/** `chars`: about the length of the value as JSON text (strings and keys counted, punctuation estimated). */
export type JsonLimits = { depth: number; values: number; chars?: number };
export const API_LIMITS: JsonLimits = { depth: MAX_DEPTH, values: MAX_VALUES };

export type JsonRead = { ok: true; value: unknown } | { ok: false; error: string };

/**
 * Why `value` is beyond the limits (objects and arrays count as levels: `{}` is one,
 * `{"a": []}` two), or null. Iterative, so it is safe on anything `JSON.parse` returned,
 * and one walk measures size too, so nothing needs stringifying to be checked.
 */
export function limitProblem(value: unknown, limits: JsonLimits = API_LIMITS): string | null {
  const values: unknown[] = [value];
  const depths: number[] = [1];
  let seen = 0;
  let chars = 0;
  const maxChars = limits.chars ?? Number.POSITIVE_INFINITY;
  while (values.length) {
    const v = values.pop();
    const depth = depths.pop() as number;
    if (++seen > limits.values) return `more than ${limits.values} values`;
    chars += typeof v === "string" ? v.length + 3 : 6;
    if (chars > maxChars) return `larger than ${maxChars} characters`;
    if (v === null || typeof v !== "object") continue;
    if (depth > limits.depth) return `nested deeper than ${limits.depth} levels`;
    const record = Array.isArray(v) ? null : (v as Record<string, unknown>);
    if (record) for (const key of Object.keys(record)) chars += key.length + 3;
    for (const child of record ? Object.values(record) : (v as unknown[])) {
      values.push(child);
      depths.push(depth + 1);
    }
  }
  return null;
}

/** Parses `text` and holds it to `limits` (none: the caller checks parts, as webhooks do). */
export function parseJson(text: string, limits: JsonLimits | null = API_LIMITS): JsonRead {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    return { ok: false, error: `JSON parse error - ${e instanceof Error ? e.message : String(e)}` };
  }
  const problem = limits && limitProblem(value, limits);
  if (problem) return { ok: false, error: `JSON parse error - the document is ${problem} (the limit).` };
  return { ok: true, value };
}
