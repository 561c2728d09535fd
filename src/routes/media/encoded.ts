import { z } from "@hono/zod-openapi";
import { decodeBase64, informative } from "./file";

/**
 * `file_encoded` as the seed's clients send it: base64 text (JSON or form, optionally a
 * data URL) or a multipart file part. Shared by every endpoint that takes a file this way
 * (`POST /media/`, the profile photo), so they accept exactly the same encodings.
 */
export const FileEncoded = z.union([z.string(), z.instanceof(File)], {
  error: (issue) => (issue.input === undefined ? "This field is required." : "Send base64 text or a multipart file."),
});

/** Body types that carry `file_encoded`; any other Content-Type means the body is the file itself. */
export const ENCODED_TYPES = ["application/json", "application/x-www-form-urlencoded", "multipart/form-data"];

/** The request's Content-Type without parameters, lower case ("" when none). */
export const bodyType = (header: string | undefined) => (header ?? "").split(";")[0]?.trim().toLowerCase() ?? "";

/** Bytes plus what the encoding says about them: the part's or data URL's type (`given`) and the part's name. */
export async function readEncodedFile(fileEncoded: z.infer<typeof FileEncoded>) {
  if (typeof fileEncoded === "string") {
    const decoded = decodeBase64(fileEncoded);
    return { bytes: decoded.bytes, given: informative(decoded.mimeType), name: undefined };
  }
  return {
    bytes: new Uint8Array(await fileEncoded.arrayBuffer()),
    given: informative(fileEncoded.type),
    name: fileEncoded.name || undefined,
  };
}
