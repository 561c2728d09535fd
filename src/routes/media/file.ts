import { ApiError, fieldErrors } from "../../errors";

/**
 * What an upload is: the bytes (from base64 or a multipart file), their MIME type and
 * WhatsApp's size limit for that type. Checked here so a file we accept is one the
 * provider will take when it is sent in a message.
 */

const KB = 1024;
const MB = 1024 * KB;

type Kind = "image" | "sticker" | "audio" | "video" | "document";
const LIMITS: Record<Kind, number> = { image: 5 * MB, sticker: 500 * KB, audio: 16 * MB, video: 16 * MB, document: 100 * MB };

/** The body cap for a raw upload (the file itself as the body, streamed to R2): the largest document. */
export const MEDIA_MAX_BODY_BYTES = 100 * MB;

/**
 * base64 and multipart bodies are parsed in memory, several copies at once; a Worker has
 * 128 MB. Past this size such uploads get a 413 that points to the raw upload, which streams.
 */
export const ENCODED_MAX_BODY_BYTES = 24 * MB;

export const MIME_TYPE = /^[a-z0-9!#$&^_.+-]+\/[a-z0-9!#$&^_.+-]+(\s*;.*)?$/i;
const essence = (mimeType: string) => (mimeType.split(";")[0] ?? "").trim().toLowerCase();

/** WhatsApp's media classes: only JPEG and PNG are images, WebP is a sticker, everything unknown is a document. */
export function mediaKind(mimeType: string): Kind {
  const type = essence(mimeType);
  if (type === "image/jpeg" || type === "image/png") return "image";
  if (type === "image/webp") return "sticker";
  if (type.startsWith("audio/")) return "audio";
  if (type.startsWith("video/")) return "video";
  return "document";
}

export const mediaLimit = (mimeType: string) => LIMITS[mediaKind(mimeType)];

const formatSize = (bytes: number) => (bytes % MB === 0 ? `${bytes / MB} MB` : `${bytes / KB} KB`);

export function checkSize(mimeType: string, size: number): void {
  const kind = mediaKind(mimeType);
  if (size <= LIMITS[kind]) return;
  throw new ApiError(413, {
    detail: `The file is too large: WhatsApp accepts ${kind} media (${essence(mimeType)}) up to ${formatSize(LIMITS[kind])}, this file has ${size} bytes.`,
  });
}

const ascii = (b: Uint8Array, at: number, text: string) => [...text].every((ch, i) => b[at + i] === ch.charCodeAt(0));

/** Magic bytes of the formats WhatsApp clients send; anything else stays unknown. */
export function sniffMimeType(b: Uint8Array): string | undefined {
  if (b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return "image/jpeg";
  if (ascii(b, 0, "\x89PNG\r\n\x1a\n")) return "image/png";
  if (ascii(b, 0, "RIFF") && ascii(b, 8, "WEBP")) return "image/webp";
  if (ascii(b, 0, "GIF87a") || ascii(b, 0, "GIF89a")) return "image/gif";
  if (ascii(b, 4, "ftyp")) return ascii(b, 8, "M4A ") ? "audio/mp4" : "video/mp4";
  if (ascii(b, 0, "OggS")) return "audio/ogg";
  // MP3: an ID3 tag, or straight into an MPEG audio frame (11 sync bits).
  if (ascii(b, 0, "ID3") || (b[0] === 0xff && ((b[1] ?? 0) & 0xe0) === 0xe0)) return "audio/mpeg";
  if (ascii(b, 0, "%PDF-")) return "application/pdf";
  return undefined;
}

const invalid = (message: string) => fieldErrors({ file_encoded: [message] });

/** Base64, optionally as a data URL (what a browser's FileReader gives), whose type then counts as given. */
export function decodeBase64(text: string): { bytes: Uint8Array; mimeType?: string } {
  const dataUrl = /^data:([^;,]*)(;[^,]*)?;base64,/i.exec(text);
  const encoded = dataUrl ? text.slice(dataUrl[0].length) : text;
  let binary: string;
  try {
    binary = atob(encoded);
  } catch {
    throw invalid("The submitted data is not valid base64.");
  }
  if (binary.length === 0) throw invalid("The submitted file is empty.");
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return { bytes, mimeType: dataUrl?.[1] || undefined };
}

/** Generic types say nothing about the content, so they do not stop sniffing. */
export const informative = (mimeType: string | undefined) =>
  mimeType && MIME_TYPE.test(mimeType) && essence(mimeType) !== "application/octet-stream" ? mimeType : undefined;
