import { z } from "zod";
import { toCloudMessage } from "./cloud-message";
import type { Provider } from "./provider";
import { call, readBytes, readJson } from "./upstream";

/**
 * Meta's Cloud API and 360dialog's v2 API are the same protocol behind different URLs
 * and credentials; this is that protocol, the two adapters only say where and how to call.
 */
export type CloudCompatibleApi = {
  messagesUrl: string;
  mediaUrl: string;
  mediaInfoUrl(mediaId: string): string;
  headers: Record<string, string>;
  /** Where to fetch the media file the info's `url` names (360dialog proxies Meta's media host). */
  mediaFileUrl(url: string): string;
};

const SendAnswer = z.looseObject({
  messages: z.tuple([z.looseObject({ id: z.string().min(1) })], z.looseObject({ id: z.string() })),
});
const UploadAnswer = z.looseObject({ id: z.string().min(1) });
const MediaInfo = z.looseObject({
  url: z.url({ protocol: /^https?$/ }),
  mime_type: z.string().min(1),
  sha256: z.string().optional(),
});

export function cloudCompatibleProvider(api: CloudCompatibleApi): Provider {
  return {
    async sendMessage(message) {
      // The client's recipient_type (e.g. "group") wins over the default.
      const body = { messaging_product: "whatsapp", recipient_type: "individual", ...toCloudMessage(message) };
      const res = await call(api.messagesUrl, {
        method: "POST",
        headers: { ...api.headers, "Content-Type": "application/json" },
        body: JSON.stringify(body),
      });
      const answer = await readJson(res, api.messagesUrl, SendAnswer);
      return { id: answer.messages[0].id, response: answer };
    },

    async uploadMedia(file) {
      const form = new FormData();
      form.append("messaging_product", "whatsapp");
      form.append("type", file.mimeType);
      form.append("file", new Blob([file.bytes], { type: file.mimeType }), file.filename ?? "file");
      // No Content-Type header: fetch sets multipart/form-data with its boundary.
      const res = await call(api.mediaUrl, { method: "POST", headers: api.headers, body: form });
      const answer = await readJson(res, api.mediaUrl, UploadAnswer);
      return { id: answer.id };
    },

    async downloadMedia(mediaId) {
      const infoUrl = api.mediaInfoUrl(mediaId);
      const info = await readJson(await call(infoUrl, { headers: api.headers }), infoUrl, MediaInfo);
      // The info's url is short-lived and still needs the credentials.
      const fileUrl = api.mediaFileUrl(info.url);
      const bytes = await readBytes(await call(fileUrl, { headers: api.headers }), fileUrl);
      return { bytes, mimeType: info.mime_type, ...(info.sha256 ? { sha256: info.sha256 } : {}) };
    },
  };
}
