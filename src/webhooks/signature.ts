import { hmacSha256 } from "../services/crypto";

/**
 * Standard Webhooks signing (https://www.standardwebhooks.com/): the secret is
 * `whsec_` + base64 of random bytes, the signature `v1,` + base64 HMAC-SHA256 of
 * `{webhook-id}.{webhook-timestamp}.{body}` keyed with the secret's decoded bytes.
 */
const PREFIX = "whsec_";
const b64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes));

export function newSecret(): string {
  return PREFIX + b64(crypto.getRandomValues(new Uint8Array(32)));
}

async function signWith(secret: string, content: string): Promise<string> {
  const key = Uint8Array.from(atob(secret.slice(PREFIX.length)), (ch) => ch.charCodeAt(0));
  return `v1,${b64(await hmacSha256(key, content))}`;
}

/**
 * The three headers of one attempt. During a rotation the previous secret signs too
 * (space-separated signatures, as the spec allows), so receivers can switch at leisure.
 */
export async function signatureHeaders(secrets: string[], id: string, body: string, now = Date.now()): Promise<Record<string, string>> {
  const timestamp = Math.floor(now / 1000).toString();
  const content = `${id}.${timestamp}.${body}`;
  const signatures = await Promise.all(secrets.map((s) => signWith(s, content)));
  return { "webhook-id": id, "webhook-timestamp": timestamp, "webhook-signature": signatures.join(" ") };
}
