import type { ComponentChildren } from "preact";
import { formatWhatsApp, type Span } from "../text/whatsapp";

const render = (spans: Span[]): ComponentChildren =>
  spans.map((span) => {
    if (typeof span === "string") return span;
    const Tag = span.tag;
    return <Tag>{render(span.children)}</Tag>;
  });

/** A message text with WhatsApp's formatting, as text nodes (line breaks kept by CSS). */
export const WhatsAppText = ({ text }: { text: string }) => <span class="wa-text">{render(formatWhatsApp(text))}</span>;
