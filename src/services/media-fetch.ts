import { createDb } from "../db/client";
import type { Inbox } from "../db/queries/inboxes";
import { getMedia, markMediaFailed, markMediaStored } from "../db/queries/media";
import { providerFor } from "../providers/provider";
import { toHex } from "./crypto";
import { inboxSecrets } from "./inboxes";

/** Where a media file lives in R2: per inbox, so one inbox's ids never address another's files. */
export const mediaKey = (inboxId: string, id: string) => `${inboxId}/${id}`;

export async function sha256Of(bytes: ArrayBuffer | Uint8Array): Promise<{ hex: string; base64: string }> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return { hex: toHex(digest), base64: btoa(String.fromCharCode(...digest)) };
}

/** Meta gives the digest as hex on the media endpoint; webhook payloads have been seen with base64, so both count. */
const matches = (actual: { hex: string; base64: string }, claimed: string) =>
  claimed.toLowerCase() === actual.hex || claimed === actual.base64;

/**
 * Downloads one inbound media file from the inbox's provider into R2 and records it as
 * stored. On any failure (upstream error, digest mismatch, R2) the row is marked failed
 * with the reason, so `GET /media/{id}/` shows it, and the error is rethrown for the
 * queue to retry.
 */
export async function fetchInboundMedia(
  env: Env,
  inbox: Inbox,
  mediaId: string,
  expectedSha256?: string,
  mimeType?: string,
): Promise<void> {
  const db = createDb(env);
  // A duplicate job (queues deliver at least once) finds the file already there.
  if ((await getMedia(db, inbox.id, mediaId))?.state === "stored") return;
  try {
    const secrets = await inboxSecrets(env, inbox);
    const file = await providerFor({ id: inbox.id, provider: inbox.provider, config: inbox.config, secrets }).downloadMedia(mediaId);
    const digest = await sha256Of(file.bytes);
    for (const claimed of [expectedSha256, file.sha256]) {
      if (claimed && !matches(digest, claimed)) throw new Error(`sha256 mismatch: expected ${claimed}, downloaded ${digest.hex}`);
    }
    const contentType = file.mimeType || mimeType || "application/octet-stream";
    await env.MEDIA.put(mediaKey(inbox.id, mediaId), file.bytes, {
      httpMetadata: { contentType },
      customMetadata: { sha256: digest.hex },
    });
    await markMediaStored(db, inbox.id, mediaId, { mimeType: contentType, sha256: digest.hex, size: file.bytes.byteLength });
  } catch (error) {
    await markMediaFailed(db, inbox.id, mediaId, error instanceof Error ? error.message : String(error));
    throw error;
  }
}
