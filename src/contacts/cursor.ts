import { z } from "zod";
import { parseJson } from "../http/json";

/**
 * The `pages` cursor of `GET /contacts/`: every provider pages its own way (offsets,
 * page numbers, opaque tokens), so one cursor carries each provider's state by key:
 * `p` its next page token (absent once it is done), `c` its last count (so `count` stays
 * the total on later pages). A provider missing from the cursor is not asked again:
 * it failed on an earlier page, or was added after the listing began. Base64url JSON,
 * opaque to clients, and read back through zod because it comes back through them.
 */
const ProviderState = z.strictObject({ p: z.string().max(500).optional(), c: z.number().int().min(0).nullable() });
const Cursor = z.record(z.string().max(20), ProviderState).refine((c) => Object.keys(c).length <= 50);

export type PagesCursor = z.infer<typeof Cursor>;

export function encodeCursor(cursor: PagesCursor): string {
  const bytes = new TextEncoder().encode(JSON.stringify(cursor));
  return btoa(String.fromCharCode(...bytes))
    .replaceAll("+", "-")
    .replaceAll("/", "_")
    .replace(/=+$/, "");
}

/** Null when the text is not a cursor this API gave out. */
export function decodeCursor(text: string): PagesCursor | null {
  if (!/^[A-Za-z0-9_-]+$/.test(text)) return null;
  let json: string;
  try {
    const binary = atob(text.replaceAll("-", "+").replaceAll("_", "/"));
    json = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(Uint8Array.from(binary, (ch) => ch.charCodeAt(0)));
  } catch {
    return null;
  }
  const read = parseJson(json);
  if (!read.ok) return null;
  const parsed = Cursor.safeParse(read.value);
  return parsed.success ? parsed.data : null;
}
