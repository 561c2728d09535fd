import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { AppEnv } from "../../context";
import { ApiError } from "../../errors";
import { bodyDoc, readBody } from "../../http/body";
import { type App, ErrorSchema, errorResponses, json } from "../../http/openapi";
import { requireUser } from "../../middleware/auth";
import { toHex } from "../../services/crypto";
import { sha256Of } from "../../services/media-fetch";
import { bodyType, ENCODED_TYPES, FileEncoded, readEncodedFile } from "./encoded";
import { checkSize, ENCODED_MAX_BODY_BYTES, informative, MIME_TYPE, sniffMimeType } from "./file";
import { storeUpload } from "./store";

export const CreateMediaBody = z.object({
  file_encoded: FileEncoded,
  filename: z.string().max(255).optional(),
  mime_type: z.union([z.literal(""), z.string().max(255).regex(MIME_TYPE, "Enter a valid MIME type, e.g. image/png.")]).optional(),
});

/** The documented shape (a File instance has no JSON Schema; it is `format: binary` in multipart). */
const BodyDoc = z.object({
  file_encoded: z.string().describe("The file: base64 text (JSON or form), or a multipart file part."),
  filename: z.string().max(255).optional(),
  mime_type: z.string().max(255).optional().describe("Used when the multipart part has no type; else the type is sniffed."),
});

export const MediaCreatedSchema = z.object({ file: z.string().url(), id: z.string().uuid() }).openapi("MediaCreated");

const route = createRoute({
  method: "post",
  path: "/media/",
  tags: ["Media"],
  summary: "Create a new media file",
  description:
    "Upload a file before sending it in a message (by its `id`). Any authenticated user. `file_encoded` as base64 (JSON or form) or a multipart file, up to 24 MB; or, for files of any size, the file itself as the body with its own Content-Type (and `?filename=`), streamed. WhatsApp's limits apply per type: image (JPEG, PNG) 5 MB, sticker (WebP) 500 KB, audio 16 MB, video 16 MB, document 100 MB.",
  request: { body: bodyDoc(BodyDoc) },
  responses: {
    201: json(MediaCreatedSchema, "The stored file's URL and id."),
    ...errorResponses,
    413: json(ErrorSchema, "The file exceeds WhatsApp's limit for its type."),
  },
});

/**
 * Raw upload: the body is the file, its Content-Type the file's type, `?filename=` its
 * name. Streamed to R2 while its SHA-256 is computed, so a 100 MB document never sits in
 * a Worker's 128 MB memory.
 */
async function rawUpload(c: Context<AppEnv>) {
  const mimeType = c.req.header("content-type") ?? "application/octet-stream";
  const size = Number(c.req.header("content-length"));
  if (!c.req.raw.body || !Number.isSafeInteger(size) || size <= 0) {
    throw new ApiError(411, { detail: "A raw upload needs its Content-Length (and a non-empty body)." });
  }
  checkSize(mimeType, size);
  const [toR2, toDigest] = c.req.raw.body.tee();
  const digest = new crypto.DigestStream("SHA-256");
  const sha256 = toDigest.pipeTo(digest).then(async () => toHex(await digest.digest));
  const sized = new FixedLengthStream(size);
  void toR2.pipeTo(sized.writable).catch(() => {});
  const filename = c.req.query("filename")?.slice(0, 255) || undefined;
  return storeUpload(c, { body: sized.readable, size, mimeType, sha256, filename });
}

export const registerCreateMedia = (app: App) =>
  app.openapi(route, async (c) => {
    requireUser(c);
    const type = bodyType(c.req.header("content-type"));
    if (type && !ENCODED_TYPES.includes(type)) return c.json(await rawUpload(c), 201);
    if (Number(c.req.header("content-length") ?? 0) > ENCODED_MAX_BODY_BYTES) {
      throw new ApiError(413, {
        detail: `Encoded uploads (base64 or multipart) are limited to ${ENCODED_MAX_BODY_BYTES / 1024 / 1024} MB: send larger files as the raw request body with their Content-Type.`,
      });
    }
    const body = await readBody(c, CreateMediaBody);
    const upload = await readEncodedFile(body.file_encoded);
    // The part's own type first, then the client's `mime_type`, then the bytes themselves.
    const mimeType = upload.given ?? informative(body.mime_type) ?? sniffMimeType(upload.bytes) ?? "application/octet-stream";
    checkSize(mimeType, upload.bytes.byteLength);
    const sha256 = (await sha256Of(upload.bytes)).hex;
    const filename = body.filename || upload.name;
    return c.json(await storeUpload(c, { body: upload.bytes, size: upload.bytes.byteLength, mimeType, sha256, filename }), 201);
  });
