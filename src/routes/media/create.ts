import { createRoute, z } from "@hono/zod-openapi";
import { insertMedia } from "../../db/queries/media";
import { bodyDoc, readBody } from "../../http/body";
import { type App, ErrorSchema, errorResponses, json } from "../../http/openapi";
import { requireUser } from "../../middleware/auth";
import { mediaKey, sha256Of } from "../../services/media-fetch";
import { checkSize, decodeBase64, informative, MIME_TYPE, sniffMimeType } from "./file";

const FileEncoded = z.union([z.string(), z.instanceof(File)], {
  error: (issue) => (issue.input === undefined ? "This field is required." : "Send base64 text or a multipart file."),
});
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
    "Upload a file before sending it in a message (as `link`). Any authenticated user. WhatsApp's limits apply per type: image (JPEG, PNG) 5 MB, sticker (WebP) 500 KB, audio 16 MB, video 16 MB, document 100 MB.",
  request: { body: bodyDoc(BodyDoc) },
  responses: {
    201: json(MediaCreatedSchema, "The stored file's URL and id."),
    ...errorResponses,
    413: json(ErrorSchema, "The file exceeds WhatsApp's limit for its type."),
  },
});

/** Bytes plus what is known about them, from either encoding of `file_encoded`. */
async function readUpload(body: z.infer<typeof CreateMediaBody>) {
  if (typeof body.file_encoded === "string") {
    const decoded = decodeBase64(body.file_encoded);
    return { bytes: decoded.bytes, given: informative(decoded.mimeType), name: undefined };
  }
  const file = body.file_encoded;
  return { bytes: new Uint8Array(await file.arrayBuffer()), given: informative(file.type), name: file.name || undefined };
}

export const registerCreateMedia = (app: App) =>
  app.openapi(route, async (c) => {
    const user = requireUser(c);
    const body = await readBody(c, CreateMediaBody);
    const upload = await readUpload(body);
    // The part's own type first, then the client's `mime_type`, then the bytes themselves.
    const mimeType = upload.given ?? informative(body.mime_type) ?? sniffMimeType(upload.bytes) ?? "application/octet-stream";
    checkSize(mimeType, upload.bytes.byteLength);

    const id = crypto.randomUUID();
    const inboxId = c.get("inbox").id;
    const sha256 = (await sha256Of(upload.bytes)).hex;
    const filename = body.filename || upload.name;
    // R2 first: a failure after it leaves an unreferenced object, never a row without a file.
    await c.env.MEDIA.put(mediaKey(inboxId, id), upload.bytes, {
      httpMetadata: { contentType: mimeType },
      customMetadata: filename ? { sha256, filename } : { sha256 },
    });
    await insertMedia(c.get("db"), inboxId, id, {
      mimeType,
      sha256,
      size: upload.bytes.byteLength,
      filename: filename ?? null,
      uploadedBy: user.id,
    });
    return c.json({ file: `${c.get("baseUrl")}/api/v1/media/${id}/`, id }, 201);
  });
