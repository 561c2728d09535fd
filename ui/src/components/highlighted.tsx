import { highlight } from "../text/highlight";

/** A text with a search's hits marked (`<mark>`), as text nodes. */
export const Highlighted = ({ text, query }: { text: string; query: string }) => (
  <>{highlight(text, query).map((piece, i) => (piece.hit ? <mark key={i}>{piece.text}</mark> : piece.text))}</>
);
