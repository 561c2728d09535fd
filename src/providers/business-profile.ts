import { DomainError } from "../errors";
import { cloudBusinessProfile, dialog360BusinessProfile } from "./business-profile-cloud";
import type { BusinessProfile, ProfilePhoto } from "./business-profile-model";
import { onpremBusinessProfile } from "./business-profile-onprem";
import { type ProviderInbox, WEBCHAT_NOT_WHATSAPP } from "./provider";

/**
 * The number's business profile, "about" text and photo, over the providers that keep them
 * upstream (cloud, 360dialog, onprem). Every adapter fails like the messaging ones: a
 * ProviderError for what the upstream refused or did not answer, a ProfileOperationError
 * for what it cannot do at all.
 */

export * from "./business-profile-model";

export interface BusinessProfileApi {
  getProfile(): Promise<BusinessProfile>;
  /** `current` is what the upstream showed just before: on-prem replaces the whole profile, Cloud takes only the changes. */
  updateProfile(changes: Partial<BusinessProfile>, current: BusinessProfile): Promise<void>;
  getAbout(): Promise<string>;
  setAbout(text: string): Promise<void>;
  /** Null when the number has no photo. */
  getPhoto(): Promise<ProfilePhoto | null>;
  setPhoto(photo: ProfilePhoto): Promise<void>;
  deletePhoto(): Promise<void>;
}

/**
 * The inbox's upstream profile; null for sandbox inboxes, which have no upstream: their
 * stored row is the profile. Throws ProviderError(500) when the inbox lacks settings.
 */
export function businessProfileFor(inbox: ProviderInbox): BusinessProfileApi | null {
  switch (inbox.provider) {
    case "cloud":
      return cloudBusinessProfile(inbox);
    case "360dialog":
      return dialog360BusinessProfile(inbox);
    case "onprem":
      return onpremBusinessProfile(inbox);
    case "sandbox":
      return null;
    case "webchat":
      throw new DomainError("invalid", { detail: WEBCHAT_NOT_WHATSAPP });
  }
}
