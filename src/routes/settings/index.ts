import { createApp } from "../../http/openapi";
import { registerCreatePhoto } from "./create-photo";
import { registerDestroyPhoto } from "./destroy-photo";
import { registerRefreshStatus } from "./refresh-status";
import { registerRetrieveAbout } from "./retrieve-about";
import { registerRetrievePhoto } from "./retrieve-photo";
import { registerRetrieveBusinessProfile } from "./retrieve-profile";
import { registerUpdateAbout } from "./update-about";
import { registerUpdateBusinessProfile } from "./update-profile";

/** `/settings/...`: the number's business profile, about text and photo, and whether the profile is being refreshed. */
export const settings = createApp();
registerRetrieveBusinessProfile(settings);
registerUpdateBusinessProfile(settings);
registerRetrieveAbout(settings);
registerUpdateAbout(settings);
registerRetrievePhoto(settings);
registerCreatePhoto(settings);
registerDestroyPhoto(settings);
registerRefreshStatus(settings);
