import { call } from "../helpers/api";

/** Shared by the media tests: byte builders and the upload call. */

export const MB = 1024 * 1024;
export const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
export const JPEG = [0xff, 0xd8, 0xff, 0xe0];
export const WEBP = [...ascii("RIFF"), 0, 0, 0, 0, ...ascii("WEBP")];
export const MP4 = [0, 0, 0, 0x18, ...ascii("ftypisom")];

export function ascii(text: string): number[] {
  return [...text].map((ch) => ch.charCodeAt(0));
}

/** `size` bytes that start with `header` and continue with a recognisable pattern. */
export function bytesOf(size: number, header: number[] = []): Uint8Array {
  const out = new Uint8Array(size);
  for (let i = 0; i < size; i++) out[i] = (i * 7 + 3) & 0xff;
  out.set(header.slice(0, size));
  return out;
}

export function base64(bytes: Uint8Array): string {
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** POSTs a multipart upload with `file_encoded` as a file part. */
export function uploadMultipart(prefix: string, token: string, file: File, fields: Record<string, string> = {}) {
  const form = new FormData();
  form.append("file_encoded", file);
  for (const [key, value] of Object.entries(fields)) form.append(key, value);
  return call(`${prefix}/media/`, { method: "POST", raw: form, token });
}

export async function readAll(res: Response): Promise<Uint8Array> {
  return new Uint8Array(await res.arrayBuffer());
}
