/**
 * WhatsApp's message formatting: *bold*, _italic_, ~strikethrough~ and ```monospace```.
 * A marker counts only at a word boundary with no space just inside it ("2*3*4" and
 * "* a *" stay as typed), as WhatsApp's own clients do. Monospace takes no inner markers.
 * The result is a tree of strings, rendered as text nodes: never HTML.
 */
export type Span = string | { tag: "strong" | "em" | "s" | "code"; children: Span[] };

const TAGS = { "*": "strong", _: "em", "~": "s" } as const;
const INLINE = /(^|[^\p{L}\p{N}])([*_~])(?=\S)([\s\S]*?\S)\2(?![\p{L}\p{N}])/u;

function inline(text: string): Span[] {
  const match = INLINE.exec(text);
  if (!match) return text ? [text] : [];
  const [whole, before = "", marker = "*", inner = ""] = match;
  const start = match.index + before.length;
  return [
    ...(text.slice(0, start) ? [text.slice(0, start)] : []),
    { tag: TAGS[marker as keyof typeof TAGS], children: inline(inner) },
    ...inline(text.slice(match.index + whole.length)),
  ];
}

export function formatWhatsApp(text: string): Span[] {
  const out: Span[] = [];
  const parts = text.split(/```([\s\S]+?)```/);
  parts.forEach((part, i) => {
    if (i % 2 === 1) out.push({ tag: "code", children: [part] });
    else out.push(...inline(part));
  });
  return out;
}
