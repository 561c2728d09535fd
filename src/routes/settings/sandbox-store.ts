import type { Db } from "../../db/client";
import { getStoredBusinessProfile, saveBusinessProfile } from "../../db/queries/business-profiles";
import { notFound } from "../../errors";
import { EMPTY_PROFILE } from "../../providers/business-profile";
import { given, now, type ProfileStore } from "./store";

/** R2 keys of profile photos: apart from media (`{inboxId}/{id}`), one per inbox, replaced in place. */
export const profilePhotoKey = (inboxId: string) => `profile-photos/${inboxId}`;

/**
 * A sandbox inbox has no upstream: its `business_profiles` row is the profile (empty
 * strings and no websites until set) and the photo's bytes are in R2.
 */
export function sandboxStore(db: Db, bucket: R2Bucket, inboxId: string): ProfileStore {
  const stored = () => getStoredBusinessProfile(db, inboxId);
  return {
    async profile() {
      return (await stored())?.profile ?? EMPTY_PROFILE;
    },
    async updateProfile(changes) {
      const next = { ...((await stored())?.profile ?? EMPTY_PROFILE), ...given(changes) };
      await saveBusinessProfile(db, inboxId, { profile: next }, now());
      return next;
    },
    async about() {
      return (await stored())?.about ?? "";
    },
    async setAbout(text) {
      await saveBusinessProfile(db, inboxId, { about: text }, now());
    },
    async photo() {
      const row = await stored();
      if (!row?.photoKey) return null;
      // Missing while a concurrent DELETE removes it (the row is cleared first): no photo, not an error.
      const object = await bucket.get(row.photoKey);
      if (!object) return null;
      return { body: object.body, mimeType: row.photoType ?? object.httpMetadata?.contentType ?? "image/jpeg", size: object.size };
    },
    async setPhoto(photo) {
      // The object first: a failure after it leaves the previous row, never a row without its object.
      const key = profilePhotoKey(inboxId);
      await bucket.put(key, photo.bytes, { httpMetadata: { contentType: photo.mimeType } });
      await saveBusinessProfile(db, inboxId, { photoKey: key, photoType: photo.mimeType }, now());
    },
    async deletePhoto() {
      const key = (await stored())?.photoKey;
      if (!key) throw notFound();
      await saveBusinessProfile(db, inboxId, { photoKey: null, photoType: null }, now());
      await bucket.delete(key);
    },
  };
}
