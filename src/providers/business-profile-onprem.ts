import { z } from "zod";
import type { BusinessProfileApi } from "./business-profile";
import { toBusinessProfile } from "./business-profile-model";
import { onpremApi } from "./onprem";
import type { ProviderInbox } from "./provider";
import { ProviderError, readBytes, readJson } from "./upstream";

/**
 * The business profile on the on-premises API: three settings endpoints, each in the
 * `{"settings": ...}` envelope. Its verticals are the seed's names already.
 */

const Text = z.string().nullish();
const ProfileAnswer = z.looseObject({
  settings: z.looseObject({
    business: z.looseObject({
      profile: z.looseObject({ address: Text, description: Text, email: Text, vertical: Text, websites: z.array(z.string()).nullish() }),
    }),
  }),
});
const AboutAnswer = z.looseObject({
  settings: z.looseObject({ profile: z.looseObject({ about: z.looseObject({ text: Text }) }) }),
});

/** Writes answer `{}` or `{"meta": ...}`; only the status matters (`call` threw on anything but 2xx). */
const drain = async (res: Response) => {
  await res.body?.cancel();
};

export function onpremBusinessProfile(inbox: Pick<ProviderInbox, "id" | "config" | "secrets">): BusinessProfileApi {
  const { base, authorized } = onpremApi(inbox);
  const profileUrl = `${base}/v1/settings/business/profile`;
  const aboutUrl = `${base}/v1/settings/profile/about`;
  const photoUrl = `${base}/v1/settings/profile/photo`;
  const json = { "Content-Type": "application/json" };

  return {
    async getProfile() {
      return toBusinessProfile((await readJson(await authorized(profileUrl), profileUrl, ProfileAnswer)).settings.business.profile);
    },

    async updateProfile(changes, current) {
      // The POST sets the profile as a whole; an unset vertical is left out rather than sent as "".
      const { vertical, ...rest } = { ...current, ...changes };
      const body = JSON.stringify({ ...rest, ...(vertical ? { vertical } : {}) });
      await drain(await authorized(profileUrl, { method: "POST", headers: json, body }));
    },

    async getAbout() {
      return (await readJson(await authorized(aboutUrl), aboutUrl, AboutAnswer)).settings.profile.about.text ?? "";
    },

    async setAbout(text) {
      await drain(await authorized(aboutUrl, { method: "PATCH", headers: json, body: JSON.stringify({ text }) }));
    },

    async getPhoto() {
      let res: Response;
      try {
        res = await authorized(photoUrl);
      } catch (error) {
        // On-prem answers 404 while the number has no photo.
        if (error instanceof ProviderError && error.status === 404) return null;
        throw error;
      }
      return { bytes: await readBytes(res, photoUrl), mimeType: res.headers.get("Content-Type") ?? "image/jpeg" };
    },

    async setPhoto(photo) {
      await drain(await authorized(photoUrl, { method: "POST", headers: { "Content-Type": photo.mimeType }, body: photo.bytes }));
    },

    async deletePhoto() {
      await drain(await authorized(photoUrl, { method: "DELETE" }));
    },
  };
}
