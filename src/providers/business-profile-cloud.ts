import { z } from "zod";
import type { BusinessProfileApi } from "./business-profile";
import { ProfileOperationError, type ProfilePhoto, toBusinessProfile, VERTICALS } from "./business-profile-model";
import { cloudApi } from "./cloud";
import { dialog360Api } from "./dialog360";
import type { ProviderInbox } from "./provider";
import { call, providerError, readBytes, readJson } from "./upstream";

/**
 * The business profile over the Cloud API protocol (Meta's Graph API and 360dialog's v2
 * API): one `whatsapp_business_profile` edge holds the profile, the about text and the
 * photo's URL. A photo is set through the Resumable Upload API (a session, the bytes, then
 * the handle); the protocol has no way to remove one.
 */
type CloudProfileTarget = {
  profileUrl: string;
  headers: Record<string, string>;
  /** The Resumable Upload API, or why this inbox cannot use it. */
  uploads: { sessionUrl: string; fileUrl(sessionId: string): string; headers: Record<string, string> } | { unavailable: string };
  /** Why a photo cannot be removed, in the words of this upstream. */
  noDelete: string;
};

const FIELDS = "about,address,description,email,profile_picture_url,websites,vertical";

const ProfileAnswer = z.looseObject({
  data: z.array(
    z.looseObject({
      about: z.string().nullish(),
      address: z.string().nullish(),
      description: z.string().nullish(),
      email: z.string().nullish(),
      vertical: z.string().nullish(),
      websites: z.array(z.string()).nullish(),
      profile_picture_url: z.string().nullish(),
    }),
  ),
});
/** Graph answers `{"success": true}`; an explicit false is a refusal even with a 2xx. */
const WriteAnswer = z.looseObject({ success: z.boolean().optional() }).refine((a) => a.success !== false, "success is false");
/**
 * `upload:<base64>?sig=<signature>` (360dialog documents it also without the prefix). It
 * goes into the next URL's path as it is, so it is held to characters that cannot leave
 * that path (no dots, no second query).
 */
const UploadSession = z.looseObject({ id: z.string().regex(/^(upload:)?[A-Za-z0-9+/=_-]+(\?sig=[A-Za-z0-9+/=_-]+)?$/) });
const UploadHandle = z.looseObject({ h: z.string().min(1) });
/** Checked only when the photo is fetched, so an odd URL does not cost the rest of the profile. */
const PictureUrl = z.url({ protocol: /^https$/ });

function cloudCompatibleProfile(target: CloudProfileTarget): BusinessProfileApi {
  const json = { ...target.headers, "Content-Type": "application/json" };

  async function read() {
    const url = `${target.profileUrl}?fields=${FIELDS}`;
    const answer = await readJson(await call(url, { headers: target.headers }), url, ProfileAnswer);
    return answer.data[0] ?? {};
  }

  async function write(fields: Record<string, unknown>) {
    const init = { method: "POST", headers: json, body: JSON.stringify({ messaging_product: "whatsapp", ...fields }) };
    await readJson(await call(target.profileUrl, init), target.profileUrl, WriteAnswer);
  }

  return {
    async getProfile() {
      return toBusinessProfile(await read());
    },

    async updateProfile(changes) {
      const { vertical, ...rest } = changes;
      await write({ ...rest, ...(vertical ? { vertical: VERTICALS[vertical] } : {}) });
    },

    async getAbout() {
      return (await read()).about ?? "";
    },

    async setAbout(text) {
      await write({ about: text });
    },

    async getPhoto() {
      const given = (await read()).profile_picture_url;
      if (!given) return null;
      const picture = PictureUrl.safeParse(given);
      if (!picture.success) throw providerError(502, "The profile's profile_picture_url is not an https URL.");
      const url = picture.data;
      // A public, signed CDN URL (pps.whatsapp.net): our credentials stay with the API host.
      const res = await call(url);
      return { bytes: await readBytes(res, url), mimeType: res.headers.get("Content-Type") ?? "image/jpeg" };
    },

    async setPhoto(photo) {
      if ("unavailable" in target.uploads) throw new ProfileOperationError("misconfigured", target.uploads.unavailable);
      await write({ profile_picture_handle: await upload(target.uploads, photo) });
    },

    async deletePhoto() {
      throw new ProfileOperationError("unsupported", target.noDelete);
    },
  };
}

/** The Resumable Upload API in one piece: the photo is small enough to go in one request at offset 0. */
async function upload(api: { sessionUrl: string; fileUrl(id: string): string; headers: Record<string, string> }, photo: ProfilePhoto) {
  const extension = photo.mimeType === "image/png" ? "png" : "jpg";
  const query = new URLSearchParams({
    file_name: `profile.${extension}`,
    file_length: String(photo.bytes.byteLength),
    file_type: photo.mimeType,
  });
  const sessionUrl = `${api.sessionUrl}?${query}`;
  const session = await readJson(await call(sessionUrl, { method: "POST", headers: api.headers }), sessionUrl, UploadSession);
  const id = session.id.startsWith("upload:") ? session.id : `upload:${session.id}`;
  const fileUrl = api.fileUrl(id);
  const sent = await call(fileUrl, { method: "POST", headers: { ...uploadHeaders(api.headers), file_offset: "0" }, body: photo.bytes });
  return (await readJson(sent, fileUrl, UploadHandle)).h;
}

/** Meta documents the upload step with `Authorization: OAuth <token>` (the same token as the Bearer one). */
const uploadHeaders = (headers: Record<string, string>) =>
  headers.Authorization ? { ...headers, Authorization: headers.Authorization.replace(/^Bearer /, "OAuth ") } : headers;

export function cloudBusinessProfile(inbox: Pick<ProviderInbox, "config" | "secrets">): BusinessProfileApi {
  const api = cloudApi(inbox);
  return cloudCompatibleProfile({
    profileUrl: `${api.phone}/whatsapp_business_profile`,
    headers: api.headers,
    uploads: api.app
      ? { sessionUrl: `${api.app}/uploads`, fileUrl: (id) => `${api.base}/${id}`, headers: api.headers }
      : {
          unavailable:
            "Setting the profile photo on the Cloud API needs the inbox's `app_id` (the Meta app whose Resumable Upload API takes the image): add it to the inbox's config.",
        },
    noDelete: "The Cloud API cannot remove a profile photo, only replace it: upload another one, or remove it in WhatsApp Manager.",
  });
}

export function dialog360BusinessProfile(inbox: Pick<ProviderInbox, "config" | "secrets">): BusinessProfileApi {
  const { base, headers } = dialog360Api(inbox);
  return cloudCompatibleProfile({
    profileUrl: `${base}/whatsapp_business_profile`,
    headers,
    // 360dialog serves Meta's Resumable Upload API itself, keyed by the same D360-API-KEY.
    uploads: { sessionUrl: `${base}/uploads`, fileUrl: (id) => `${base}/${id}`, headers },
    noDelete:
      "360dialog (Cloud API) cannot remove a profile photo, only replace it: upload another one, or remove it in the 360dialog Client Hub or WhatsApp Manager.",
  });
}
