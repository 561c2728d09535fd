import type { Db } from "../../db/client";
import { finishProfileRefresh, saveBusinessProfile } from "../../db/queries/business-profiles";
import { failRefresh, markRefreshing } from "../../db/queries/upstream-syncs";
import type { BusinessProfile, BusinessProfileApi } from "../../providers/business-profile";
import { given, now, type ProfileStore, relay } from "./store";

/**
 * Caching for upstream providers, kept simple on purpose: every read goes to the upstream
 * (a profile also changes in WhatsApp Manager, so a copy of ours would go stale unnoticed)
 * and its answer is kept in `business_profiles`; a write goes to the upstream first and is
 * kept only once the upstream accepted it, so a failure leaves the row as it was. The row
 * records the last known state, it never answers a read. The photo is not copied: it is
 * streamed from the upstream on every GET. The sync's `refreshingSince` marks a profile read
 * under way (the vendor client's `currently_refreshing`).
 */
export function upstreamStore(db: Db, inboxId: string, api: BusinessProfileApi): ProfileStore {
  async function profile(): Promise<BusinessProfile> {
    const at = now();
    await markRefreshing(db, inboxId, "business_profile", at);
    let read: BusinessProfile;
    try {
      read = await relay("read", () => api.getProfile());
    } catch (error) {
      await failRefresh(db, inboxId, "business_profile", error instanceof Error ? error.message : String(error), at);
      throw error;
    }
    await finishProfileRefresh(db, inboxId, { profile: read }, at);
    return read;
  }

  return {
    profile,
    async updateProfile(changes) {
      // Read first: on-prem replaces the whole profile, and the answer is the whole profile.
      const current = await profile();
      const fields = given(changes);
      if (Object.keys(fields).length === 0) return current;
      await relay("write", () => api.updateProfile(fields, current));
      const next = { ...current, ...fields };
      await saveBusinessProfile(db, inboxId, { profile: next }, now());
      return next;
    },
    async about() {
      const text = await relay("read", () => api.getAbout());
      await saveBusinessProfile(db, inboxId, { about: text }, now());
      return text;
    },
    async setAbout(text) {
      await relay("write", () => api.setAbout(text));
      await saveBusinessProfile(db, inboxId, { about: text }, now());
    },
    async photo() {
      const photo = await relay("read", () => api.getPhoto());
      return photo && { body: photo.bytes, mimeType: photo.mimeType, size: photo.bytes.byteLength };
    },
    setPhoto: (photo) => relay("write", () => api.setPhoto(photo)),
    deletePhoto: () => relay("write", () => api.deletePhoto()),
  };
}
