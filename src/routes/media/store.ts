import type { Context } from "hono";
import type { AppEnv } from "../../context";
import { insertMedia } from "../../db/queries/media";
import { requireUser } from "../../middleware/auth";
import { mediaKey } from "../../services/media-fetch";

/** Writes a file to R2 (first: a failure after it leaves an unreferenced object, never a row without a file), then its row. */
export async function storeUpload(
  c: Context<AppEnv>,
  file: { body: ReadableStream | Uint8Array; size: number; mimeType: string; sha256: Promise<string> | string; filename?: string },
): Promise<{ file: string; id: string }> {
  const id = crypto.randomUUID();
  const inboxId = c.get("inbox").id;
  // R2 metadata repeats what is known up front (a streamed file's digest is known only at its end; D1 has it).
  const customMetadata: Record<string, string> = {};
  if (typeof file.sha256 === "string") customMetadata.sha256 = file.sha256;
  if (file.filename) customMetadata.filename = file.filename;
  const put = c.env.MEDIA.put(mediaKey(inboxId, id), file.body, { httpMetadata: { contentType: file.mimeType }, customMetadata });
  const [, sha256] = await Promise.all([put, file.sha256]);
  await insertMedia(c.get("db"), inboxId, id, {
    mimeType: file.mimeType,
    sha256,
    size: file.size,
    filename: file.filename ?? null,
    uploadedBy: requireUser(c).id,
  });
  return { file: `${c.get("baseUrl")}/api/v1/media/${id}/`, id };
}
