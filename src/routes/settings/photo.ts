import type { Context } from "hono";
import type { AppEnv } from "../../context";
import { fieldErrors } from "../../errors";
import { readBody } from "../../http/body";
import type { ProfilePhoto } from "../../providers/business-profile";
import { bodyType, ENCODED_TYPES, readEncodedFile } from "../media/encoded";
import { checkSize, sniffMimeType } from "../media/file";
import { PhotoBody } from "./schemas";

const invalid = (message: string) => fieldErrors({ file_encoded: [message] });

/**
 * The photo of a POST, in every encoding `POST /media/` takes: `file_encoded` as base64, a
 * data URL or a multipart part, or the image itself as the body with its Content-Type. The
 * bytes decide the type (a claimed type is not trusted): WhatsApp takes JPEG and PNG, up to
 * its 5 MB image limit (`src/app.ts` lets this path's bodies reach 7 MB, base64 included).
 */
export async function readPhoto(c: Context<AppEnv>): Promise<ProfilePhoto> {
  const type = bodyType(c.req.header("content-type"));
  let bytes: Uint8Array;
  if (type && !ENCODED_TYPES.includes(type)) {
    bytes = new Uint8Array(await c.req.arrayBuffer());
    if (bytes.byteLength === 0) throw invalid("The submitted file is empty.");
  } else {
    bytes = (await readEncodedFile((await readBody(c, PhotoBody)).file_encoded)).bytes;
  }
  const mimeType = sniffMimeType(bytes);
  if (mimeType !== "image/jpeg" && mimeType !== "image/png") {
    throw invalid("Upload a valid image: a profile photo is a JPEG or PNG file.");
  }
  checkSize(mimeType, bytes.byteLength);
  return { bytes: bytes.slice().buffer, mimeType };
}
