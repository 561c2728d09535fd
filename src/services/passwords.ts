import { safeEqual, toHex } from "./crypto";

/**
 * Password hashing: PBKDF2-HMAC-SHA256 through WebCrypto.
 *
 * Production Workers reject PBKDF2 above 100,000 iterations (local workerd has no cap,
 * so a higher count would pass every test here and fail every real login). OWASP's
 * 2023+ advice for PBKDF2-SHA256 is 600,000; 100,000 is the most the platform allows.
 * Hashes are stored Django-style, `pbkdf2_sha256$<iterations>$<salt>$<base64 hash>`,
 * so the count can be raised later: `needsRehash` flags old hashes at login.
 */
export const PBKDF2_ITERATIONS = 100_000;
export const WORKERS_PBKDF2_MAX_ITERATIONS = 100_000;
const SCHEME = "pbkdf2_sha256";
const KEY_BITS = 256;

async function derive(password: string, salt: string, iterations: number): Promise<string> {
  const key = await crypto.subtle.importKey("raw", new TextEncoder().encode(password), "PBKDF2", false, ["deriveBits"]);
  const bits = await crypto.subtle.deriveBits(
    { name: "PBKDF2", hash: "SHA-256", salt: new TextEncoder().encode(salt), iterations },
    key,
    KEY_BITS,
  );
  return btoa(String.fromCharCode(...new Uint8Array(bits)));
}

export async function hashPassword(password: string): Promise<string> {
  const salt = toHex(crypto.getRandomValues(new Uint8Array(16)));
  return `${SCHEME}$${PBKDF2_ITERATIONS}$${salt}$${await derive(password, salt, PBKDF2_ITERATIONS)}`;
}

/** A hash of a random password: verified against when a user does not exist, so timing does not tell. */
let dummyHash: Promise<string> | undefined;

export async function verifyPassword(password: string, stored: string | null): Promise<boolean> {
  if (!stored) {
    dummyHash ??= hashPassword(crypto.randomUUID());
    await verifyPassword(password, await dummyHash);
    return false;
  }
  const [scheme, iterations, salt, hash] = stored.split("$");
  const count = Number(iterations);
  if (scheme !== SCHEME || !salt || !hash || !Number.isInteger(count) || count > WORKERS_PBKDF2_MAX_ITERATIONS) return false;
  return safeEqual(await derive(password, salt, count), hash);
}

export function needsRehash(stored: string): boolean {
  return Number(stored.split("$")[1]) !== PBKDF2_ITERATIONS;
}

/** Django's default validators, abridged: length, not only digits, not the username. */
export function passwordProblems(password: string, username?: string): string[] {
  const problems: string[] = [];
  if (password.length < 8) problems.push("This password is too short. It must contain at least 8 characters.");
  if (password.length > 4096) problems.push("This password is too long.");
  if (/^\d+$/.test(password)) problems.push("This password is entirely numeric.");
  if (username && password.toLowerCase() === username.toLowerCase()) problems.push("The password is too similar to the username.");
  return problems;
}
