import { createRoute, z } from "@hono/zod-openapi";
import { getMedia } from "../../db/queries/media";
import { ApiError, notFound } from "../../errors";
import { type App, ErrorSchema, errorResponses, json } from "../../http/openapi";
import { requestScope } from "../../http/scope";
import { mayReadMedia } from "../../services/media-access";
import { mediaKey } from "../../services/media-fetch";

/** Upload UUIDs and provider media ids (digits for Meta); anything else cannot exist. */
const MEDIA_ID = /^[A-Za-z0-9._-]{1,200}$/;

/** The vendor web-inbox client loads `/media/{id}` (no slash) as an image or audio source: answered directly, no redirect. */
const describe = (path: string) =>
  createRoute({
    method: "get",
    path,
    tags: ["Media"],
    summary: "Retrieve binary raw media file",
    description:
      "The file with its Content-Type: uploads by their UUID, inbound media by the provider's media id (as in `waba_payload`). Readable by users who may read a chat the file was sent in, and by its uploader.",
    request: {
      params: z.object({ id: z.string().openapi({ param: { name: "id", in: "path" }, example: "497f6eca-6276-4993-bfeb-53cbbbba6f08" }) }),
    },
    responses: {
      200: { description: "The raw file.", content: { "application/octet-stream": { schema: z.string().openapi({ format: "binary" }) } } },
      ...errorResponses,
      409: json(ErrorSchema, "Inbound media that is still being downloaded from the provider."),
      502: json(ErrorSchema, "Inbound media whose download from the provider failed; `detail` says why."),
    },
  });

export const registerRetrieveMedia = (app: App) => {
  for (const path of ["/media/{id}/", "/media/{id}"]) register(app, describe(path));
};

const register = (app: App, route: ReturnType<typeof describe>) =>
  app.openapi(route, async (c) => {
    const { id } = c.req.valid("param");
    if (!MEDIA_ID.test(id)) throw notFound();
    const inboxId = c.get("inbox").id;
    const row = await getMedia(c.get("db"), inboxId, id);
    if (!row) throw notFound();
    // A file is readable by whoever may read a chat it was sent in, and by its uploader.
    const scope = await requestScope(c);
    if (!(await mayReadMedia(c.get("db"), scope, row))) throw notFound();
    if (row.state === "pending") throw new ApiError(409, { detail: "Media is still being downloaded from the provider." });
    if (row.state === "failed") {
      throw new ApiError(502, { detail: `The provider's media could not be downloaded: ${row.lastError ?? "unknown error"}` });
    }
    const object = await c.env.MEDIA.get(mediaKey(inboxId, id));
    // A stored row without its object is our fault: a logged 500, not a 404 that hides it.
    if (!object) throw new Error(`media ${inboxId}/${id} is stored in D1 but missing from R2`);
    return c.body(object.body, 200, {
      "Content-Type": object.httpMetadata?.contentType ?? row.mimeType ?? "application/octet-stream",
      "Content-Length": String(object.size),
      "Cache-Control": "private",
      // Uploads carry client-chosen types (text/html, image/svg+xml) and are served from the API's origin,
      // where the session cookie lives: never let them run as a page.
      "X-Content-Type-Options": "nosniff",
      "Content-Security-Policy": "sandbox; default-src 'none'",
    });
  });
