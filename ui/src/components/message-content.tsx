import { mediaUrl } from "../api/base";
import type { Message } from "../api/types";
import { WhatsAppText } from "./whatsapp-text";

/**
 * A message's body by WhatsApp type. Media comes from this inbox's `/api/v1/media/{id}/`
 * (the token login's media cookie or the session authorises it); a type without a
 * rendering here is a labelled placeholder, never an empty bubble.
 */
type Payload = Record<string, unknown>;

const field = (payload: Payload, key: string): Payload => {
  const value = payload[key];
  return value && typeof value === "object" && !Array.isArray(value) ? (value as Payload) : {};
};
const text = (value: unknown) => (typeof value === "string" ? value : "");

function mediaSource(media: Payload): string | null {
  const id = text(media.id);
  if (id) return mediaUrl(id);
  const link = text(media.link);
  return /^https?:\/\//.test(link) ? link : null;
}

const Placeholder = ({ label }: { label: string }) => <span class="placeholder">[{label}]</span>;

function Media({ type, media }: { type: string; media: Payload }) {
  const src = mediaSource(media);
  const caption = text(media.caption);
  if (!src) return <Placeholder label={`${type}: not available`} />;
  const body =
    type === "image" || type === "sticker" ? (
      <img src={src} alt={caption || (type === "sticker" ? "Sticker" : "Image")} loading="lazy" />
    ) : type === "video" ? (
      // biome-ignore lint/a11y/useMediaCaption: WhatsApp videos carry no caption tracks.
      <video src={src} controls preload="metadata" />
    ) : type === "audio" || type === "voice" ? (
      // biome-ignore lint/a11y/useMediaCaption: WhatsApp voice notes carry no caption tracks.
      <audio src={src} controls preload="metadata" aria-label={type === "voice" ? "Voice message" : "Audio"} />
    ) : (
      <a href={src} download={text(media.filename) || true}>
        {text(media.filename) || "Document"}
      </a>
    );
  return (
    <>
      {body}
      {caption && (
        <span class="caption">
          <WhatsAppText text={caption} />
        </span>
      )}
    </>
  );
}

function Interactive({ payload }: { payload: Payload }) {
  const reply = { ...field(payload, "button_reply"), ...field(payload, "list_reply") };
  const title = text(reply.title) || text(field(payload, "body").text);
  return title ? <WhatsAppText text={title} /> : <Placeholder label="interactive message" />;
}

export function MessageContent({ message }: { message: Message }) {
  const payload = message.waba_payload;
  const type = text(payload.type) || "unknown";
  switch (type) {
    case "text":
      return <WhatsAppText text={text(field(payload, "text").body)} />;
    case "image":
    case "sticker":
    case "video":
    case "audio":
    case "voice":
    case "document":
      return <Media type={type} media={field(payload, type)} />;
    case "location": {
      const place = field(payload, "location");
      const where = [text(place.name), text(place.address)].filter(Boolean).join(", ");
      return (
        <span>
          Location: {where || `${place.latitude}, ${place.longitude}`}
          {typeof place.latitude === "number" && typeof place.longitude === "number" ? ` (${place.latitude}, ${place.longitude})` : ""}
        </span>
      );
    }
    case "reaction":
      return <span>Reacted {text(field(payload, "reaction").emoji) || "(removed)"}</span>;
    case "interactive":
      return <Interactive payload={field(payload, "interactive")} />;
    case "button":
      return <WhatsAppText text={text(field(payload, "button").text)} />;
    case "template":
    case "hsm":
      return <span>Template "{text(field(payload, "template").name) || text(field(payload, "hsm").element_name)}"</span>;
    case "contacts": {
      const names = (Array.isArray(payload.contacts) ? payload.contacts : []).map((c) => text(field(c as Payload, "name").formatted_name));
      return <span>Contact card: {names.filter(Boolean).join(", ") || "no name"}</span>;
    }
    default:
      return <Placeholder label={`Unsupported message type: ${type}`} />;
  }
}

/** One line of a message for the chat list. */
export function messagePreview(message: Message | null): string {
  if (!message) return "No messages yet";
  const payload = message.waba_payload;
  const type = text(payload.type);
  if (type === "text") return text(field(payload, "text").body);
  const caption = text(field(payload, type).caption);
  return caption ? `${type}: ${caption}` : `[${type || "message"}]`;
}

/** The message's WhatsApp time (POSIX seconds, sent as a string). */
export const messageTime = (message: Message) => Number(message.waba_payload.timestamp ?? 0);
