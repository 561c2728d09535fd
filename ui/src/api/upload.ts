import { BASE } from "./base";
import { BOOKMARK_HEADER, credentialHeaders, noteBookmark } from "./client";
import { ApiError, errorText, NETWORK_ERROR } from "./errors";
import type { MediaCreated } from "./types";

/**
 * Uploads a file as the raw body of `POST /api/v1/media/` (its own Content-Type and
 * `?filename=`; streamed to storage, any size), reporting progress. This is the one call
 * not made through openapi-fetch: `fetch` cannot report upload progress, XMLHttpRequest
 * can. Its answer has the operation's generated type (`MediaCreated`).
 */
export function uploadMedia(file: File, onProgress: (fraction: number) => void, signal?: AbortSignal): Promise<MediaCreated> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", `${BASE}/api/v1/media/?filename=${encodeURIComponent(file.name)}`);
    for (const [name, value] of Object.entries(credentialHeaders())) xhr.setRequestHeader(name, value);
    xhr.setRequestHeader("Content-Type", file.type || "application/octet-stream");
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress(event.loaded / event.total);
    };
    xhr.onload = () => {
      noteBookmark(xhr.getResponseHeader(BOOKMARK_HEADER));
      let body: unknown = null;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        // Reported below as the status in words.
      }
      const ok = xhr.status >= 200 && xhr.status < 300;
      if (
        ok &&
        body &&
        typeof body === "object" &&
        "id" in body &&
        typeof body.id === "string" &&
        "file" in body &&
        typeof body.file === "string"
      )
        resolve({ id: body.id, file: body.file });
      else reject(new ApiError(xhr.status, errorText(body, xhr.status)));
    };
    xhr.onerror = () => reject(new ApiError(0, NETWORK_ERROR));
    xhr.onabort = () => reject(new ApiError(0, "Upload cancelled."));
    signal?.addEventListener("abort", () => xhr.abort());
    xhr.send(file);
  });
}
