import { hmacSha256, safeEqual, toHex } from "../services/crypto";

const PREFIX = "sha256=";
const HEX_DIGEST = /^[0-9a-f]{64}$/;

/**
 * Checks Meta's `X-Hub-Signature-256: sha256=<hex>` header: the HMAC-SHA256 of the
 * raw body bytes keyed with the app secret. It must run on the bytes as received,
 * before any JSON parsing, because re-serialising changes them.
 */
export async function verifySignature(
  raw: ArrayBuffer | Uint8Array,
  header: string | undefined | null,
  appSecret: string,
): Promise<boolean> {
  // An empty secret would make every signature forgeable (and WebCrypto rejects empty HMAC keys).
  if (!header || !appSecret) return false;
  const value = header.trim().toLowerCase();
  if (!value.startsWith(PREFIX)) return false;
  const given = value.slice(PREFIX.length);
  if (!HEX_DIGEST.test(given)) return false;
  const bytes = raw instanceof Uint8Array ? raw : new Uint8Array(raw);
  const expected = toHex(await hmacSha256(appSecret, bytes));
  return safeEqual(expected, given);
}
