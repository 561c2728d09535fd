import { ApiError } from "../errors";
import { hmacSha256, toHex } from "./crypto";

/**
 * Provider secrets at rest: AES-256-GCM with a key derived from SECRET_KEY via HKDF.
 * Stored as `v1.<iv base64>.<ciphertext base64>`; the version lets the key rotate later.
 */
const keys = new Map<string, Promise<CryptoKey>>();

function key(secret: string, purpose: string): Promise<CryptoKey> {
  const id = `${purpose}:${secret}`;
  let k = keys.get(id);
  if (!k) {
    k = crypto.subtle
      .importKey("raw", new TextEncoder().encode(secret), "HKDF", false, ["deriveKey"])
      .then((base) =>
        crypto.subtle.deriveKey(
          { name: "HKDF", hash: "SHA-256", salt: new Uint8Array(32), info: new TextEncoder().encode(purpose) },
          base,
          { name: "AES-GCM", length: 256 },
          false,
          ["encrypt", "decrypt"],
        ),
      );
    keys.set(id, k);
  }
  return k;
}

const b64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes));
const unb64 = (text: string) => Uint8Array.from(atob(text), (ch) => ch.charCodeAt(0));

export async function encryptJson(secret: string, value: Record<string, string>): Promise<string> {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const data = new TextEncoder().encode(JSON.stringify(value));
  const sealed = new Uint8Array(await crypto.subtle.encrypt({ name: "AES-GCM", iv }, await key(secret, "inbox-secrets"), data));
  return `v1.${b64(iv)}.${b64(sealed)}`;
}

async function decryptJson(secret: string, stored: string): Promise<Record<string, string>> {
  const [version, iv, sealed] = stored.split(".");
  if (version !== "v1" || !iv || !sealed) throw new Error("Unknown secret format");
  const plain = await crypto.subtle.decrypt({ name: "AES-GCM", iv: unb64(iv) }, await key(secret, "inbox-secrets"), unb64(sealed));
  return JSON.parse(new TextDecoder().decode(plain)) as Record<string, string>;
}

/** Stored secrets, decrypted, or null when this SECRET_KEY cannot decrypt them. */
export const readable = (secret: string, stored: string): Promise<Record<string, string> | null> =>
  decryptJson(secret, stored).catch(() => null);

/**
 * Stored secrets, decrypted; when SECRET_KEY cannot decrypt them (it changed since they were
 * stored), a 500 that says so and how to repair (`fix`) instead of a bare one.
 */
export async function openSecrets(secret: string, stored: string, fix: string): Promise<Record<string, string>> {
  const secrets = await readable(secret, stored);
  if (secrets) return secrets;
  const detail = undecryptable("Stored secrets", fix);
  // Logged here: the operator must see it, and an ApiError's answer is not logged.
  console.error(JSON.stringify({ level: "error", error: detail }));
  throw new ApiError(500, { detail });
}

/** Why secrets stored under another SECRET_KEY cannot be used, and `fix`, what repairs them. */
export const undecryptable = (what: string, fix: string) =>
  `${what} cannot be decrypted with this deployment's SECRET_KEY (has it changed since?): ${fix}`;

/** Secrets as far as this deployment can read them, none otherwise: what a PATCH merges over. */
export const readableSecrets = (secrets: Promise<Record<string, string>>): Promise<Record<string, string>> => secrets.catch(() => ({}));

/** The names of the readable secrets, sorted: a wire's `secrets_set`. */
export const secretNames = async (secrets: Promise<Record<string, string>>): Promise<string[]> =>
  Object.keys(await readableSecrets(secrets)).sort();

/** Token values are HMACs of SECRET_KEY and a stored nonce: 160 bits, 40 hex characters. */
export async function deriveToken(secret: string, nonce: string): Promise<string> {
  const mac = await hmacSha256(secret, `token:${nonce}`);
  return toHex(mac.slice(0, 20));
}
