import { createApp } from "../../http/openapi";
import { requirePlatformKey } from "../../middleware/platform";
import { registerPlatformApiKeys } from "./api-keys";
import { registerInboxes } from "./inboxes";
import { registerMeter } from "./meter";
import { registerPlatformUsers } from "./users";
import { registerWorkspaces } from "./workspaces";

/** `/platform/v1`: tenants, their inboxes and first users, behind PLATFORM_API_KEY. */
export const platform = createApp();
platform.use(requirePlatformKey);
registerWorkspaces(platform);
registerInboxes(platform);
registerPlatformUsers(platform);
registerPlatformApiKeys(platform);
registerMeter(platform);
