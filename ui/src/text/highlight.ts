/**
 * Where a search's words occur in a text, for showing hits: the text split into pieces,
 * each marked whether it is a hit. Words match anywhere, ignoring case, as the
 * server's search does for phone fragments; the pieces are text, never HTML.
 */
export type Piece = { text: string; hit: boolean };

const escapeRegExp = (word: string) => word.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

export function searchWords(query: string): string[] {
  return [...new Set(query.split(/[^\p{L}\p{N}]+/u).filter((w) => w.length > 0))];
}

export function highlight(text: string, query: string): Piece[] {
  const words = searchWords(query).sort((a, b) => b.length - a.length);
  if (!words.length || !text) return text ? [{ text, hit: false }] : [];
  const pattern = new RegExp(`(${words.map(escapeRegExp).join("|")})`, "giu");
  // split() with one capturing group puts the hits at the odd indices.
  return text
    .split(pattern)
    .map((part, i) => ({ text: part, hit: i % 2 === 1 }))
    .filter((piece) => piece.text !== "");
}
