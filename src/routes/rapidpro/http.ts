import { z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { ApiError, badRequest, validationError } from "../../errors";
import { readJsonBody } from "../../http/body";

/**
 * The request mechanics every RapidPro v2 resource shares: JSON bodies, lookups from the
 * query string, RapidPro's query booleans and its cursor pagination.
 */

/**
 * A v2 body: JSON only (other types 415); no body at all is `{}`, so an update with nothing
 * to change answers 200; anything but one JSON object is RapidPro's `non_field_errors`.
 */
export async function readV2Object(c: Context): Promise<Record<string, unknown>> {
  const raw = await readJsonBody(c);
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
    throw new ApiError(400, { non_field_errors: ["Request body should be a single JSON object"] });
  }
  return raw as Record<string, unknown>;
}

/** `readV2Object`, validated whole by one schema. */
export async function readV2Body<T extends z.ZodType>(c: Context, schema: T): Promise<z.infer<T>> {
  const parsed = schema.safeParse(await readV2Object(c), { reportInput: true });
  if (!parsed.success) throw validationError(parsed.error);
  return parsed.data;
}

/** The one lookup parameter of a write (`?uuid=` or `?urn=` …), or none; more than one is RapidPro's 400. */
export function lookupParam<K extends string>(c: Context, names: readonly K[]): { name: K; value: string } | null {
  const given = names.filter((n) => c.req.query(n) !== undefined);
  if (given.length > 1) {
    throw badRequest(`URL can only contain one of the following parameters: ${[...names].sort().join(", ")}`);
  }
  const name = given[0];
  return name === undefined ? null : { name, value: c.req.query(name) as string };
}

/** A write that needs its lookup (DELETE, or an update-only resource). */
export function requireLookup<K extends string>(c: Context, names: readonly K[]): { name: K; value: string } {
  const found = lookupParam(c, names);
  if (!found) throw badRequest(`URL must contain one of the following parameters: ${[...names].sort().join(", ")}`);
  return found;
}

/** RapidPro's `str_to_bool`. */
export const strToBool = (value: string | undefined): boolean => ["true", "y", "yes", "1"].includes((value ?? "").toLowerCase());

/** RapidPro's page size. */
export const V2_PAGE_SIZE = 250;

/**
 * Keyset cursors: the position after the page's last row (its sort key and id), as
 * base64url JSON. Opaque to clients; one that does not decode starts from the beginning,
 * as DRF's CursorPagination refuses it with a 404 only when it cannot be read at all.
 */
export type Position = [number, number];

export function encodePosition(position: Position): string {
  return btoa(JSON.stringify(position)).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

export function decodePosition(cursor: string | undefined): Position | null | "invalid" {
  if (cursor === undefined) return null;
  try {
    const value = JSON.parse(atob(cursor.replaceAll("-", "+").replaceAll("_", "/")));
    if (Array.isArray(value) && value.length === 2 && value.every((n) => Number.isSafeInteger(n))) return value as Position;
  } catch {}
  return "invalid";
}

/** The cursor position a list request resumes from; a cursor this API did not give out is DRF's 404. */
export function cursorOf(c: Context): Position | null {
  const position = decodePosition(c.req.query("cursor"));
  if (position === "invalid") throw new ApiError(404, { detail: "Invalid cursor" });
  return position;
}

/**
 * RapidPro's envelope for rows read with `limit: V2_PAGE_SIZE + 1`: `next` is the request's
 * own absolute URL, every filter kept, with `cursor` after the page's last row when a row
 * lies beyond it; `previous` is always null (RapidPro's clients only follow `next`).
 */
export function cursorPage<T, W>(requestUrl: string, rows: T[], positionOf: (row: T) => Position, toWire: (row: T) => W) {
  const page = rows.slice(0, V2_PAGE_SIZE);
  let next: string | null = null;
  const last = page.at(-1);
  if (rows.length > V2_PAGE_SIZE && last) {
    const url = new URL(requestUrl);
    url.searchParams.set("cursor", encodePosition(positionOf(last)));
    next = url.toString();
  }
  return { next, previous: null, results: page.map(toWire) };
}

export const cursorPageSchema = <T extends z.ZodType>(item: T) =>
  z.object({
    next: z.string().nullable().openapi({ description: "The next page (absolute, every filter kept, `cursor` added), or null." }),
    previous: z.null(),
    results: z.array(item),
  });

/** The cursor parameters every v2 list reads. */
export const CursorQuery = {
  cursor: z.string().optional().openapi({ description: "Opaque position from a page's `next`." }),
  reverse: z.string().optional().openapi({ description: "RapidPro boolean (`true`, `1`, `yes`, `y`): oldest first." }),
};

/**
 * DRF's serializer loop: each key present in the body is validated by its own schema, so
 * the keys that are valid come back parsed while every problem of the others is reported
 * (`{"key": ["msg"]}`, list items by index, dict items by key), and checks that need the
 * database can still run on the valid keys and be reported in the same answer.
 */
export function parseKeys<S extends Record<string, z.ZodType>>(
  shape: S,
  raw: Record<string, unknown>,
): { data: { [K in keyof S]?: z.infer<S[K]> }; problems: Record<string, unknown> } {
  const data: Record<string, unknown> = {};
  const issues: z.core.$ZodIssue[] = [];
  for (const [key, schema] of Object.entries(shape)) {
    if (!Object.hasOwn(raw, key)) continue;
    const parsed = schema.safeParse(raw[key], { reportInput: true });
    if (parsed.success) data[key] = parsed.data;
    else issues.push(...parsed.error.issues.map((i) => ({ ...i, path: [key, ...i.path] })));
  }
  const problems = issues.length ? validationError(new z.ZodError(issues)).body : {};
  return { data: data as { [K in keyof S]?: z.infer<S[K]> }, problems };
}

/** Python's name for a JSON value's type, as DRF's messages show it. */
export function pyType(value: unknown): string {
  if (typeof value === "string") return "str";
  if (typeof value === "boolean") return "bool";
  if (typeof value === "number") return Number.isInteger(value) ? "int" : "float";
  if (Array.isArray(value)) return "list";
  return value === null ? "NoneType" : "dict";
}

/** `check`: a further validator of the trimmed text (its message, or null), as RapidPro's `validate_<field>`. */
type CharOptions = { max?: number; min?: number; allowBlank?: boolean; nullable?: boolean; check?: (text: string) => string | null };

/**
 * DRF's CharField: numbers are read as their text, other types "Not a valid string.",
 * whitespace trimmed, then blank, then every validator (lengths, null characters) reported.
 */
export const charField = ({ max, min, allowBlank = false, nullable = false, check }: CharOptions = {}) =>
  z.unknown().transform((value, ctx): string | null => {
    const fail = (message: string) => {
      ctx.addIssue({ code: "custom", message, input: value });
      return z.NEVER;
    };
    if (value === null) return nullable ? null : fail("This field may not be null.");
    if (typeof value === "boolean" || (typeof value !== "string" && typeof value !== "number")) return fail("Not a valid string.");
    const text = String(value).trim();
    if (text === "") return allowBlank ? "" : fail("This field may not be blank.");
    const length = [...text].length;
    const messages = [
      ...(max !== undefined && length > max ? [`Ensure this field has no more than ${max} characters.`] : []),
      ...(min !== undefined && length < min ? [`Ensure this field has at least ${min} characters.`] : []),
      ...(text.includes("\u0000") ? ["Null characters are not allowed."] : []),
    ];
    for (const message of messages) ctx.addIssue({ code: "custom", message, input: value });
    if (messages.length) return z.NEVER;
    const refused = check?.(text);
    return refused ? fail(refused) : text;
  });

/** RapidPro's limited ListField: null and non-lists refused, then at most 100 items (checked before the items). */
export const listField = <T extends z.ZodType>(item: T, max = 100) =>
  z.unknown().transform((value, ctx): z.infer<T>[] => {
    const fail = (message: string) => {
      ctx.addIssue({ code: "custom", message, input: value });
      return z.NEVER;
    };
    if (value === null) return fail("This field may not be null.");
    if (!Array.isArray(value)) return fail(`Expected a list of items but got type "${pyType(value)}".`);
    if (value.length > max) return fail(`This field can only contain up to ${max} items.`);
    const out: z.infer<T>[] = [];
    value.forEach((v, i) => {
      const parsed = item.safeParse(v, { reportInput: true });
      if (parsed.success) out.push(parsed.data);
      else for (const issue of parsed.error.issues) ctx.addIssue({ ...issue, path: [i, ...issue.path] } as never);
    });
    return out;
  });

/** RapidPro's limited DictField of CharField values. */
export const dictField = <T extends z.ZodType>(item: T, max = 100) =>
  z.unknown().transform((value, ctx): Record<string, z.infer<T>> => {
    const fail = (message: string) => {
      ctx.addIssue({ code: "custom", message, input: value });
      return z.NEVER;
    };
    if (value === null) return fail("This field may not be null.");
    if (typeof value !== "object" || Array.isArray(value)) return fail(`Expected a dictionary of items but got type "${pyType(value)}".`);
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length > max) return fail(`This field can only contain up to ${max} items.`);
    const out: Record<string, z.infer<T>> = {};
    for (const [key, v] of entries) {
      const parsed = item.safeParse(v, { reportInput: true });
      if (parsed.success) out[key] = parsed.data;
      else for (const issue of parsed.error.issues) ctx.addIssue({ ...issue, path: [key, ...issue.path] } as never);
    }
    return out;
  });
