import { createApp } from "../../http/openapi";
import { authenticateV2 } from "./auth";
import { registerContacts } from "./contacts";
import { registerFields } from "./fields";
import { registerGroups } from "./groups";

/**
 * RapidPro's contacts API v2 (seeds 001/002), mounted at `/api/v2`, under
 * `/inboxes/{inboxId}/api/v2` and for hostnames mapped to an inbox. Its `.json` paths are
 * never redirected to a trailing slash.
 */
export const rapidpro = createApp();
rapidpro.use(authenticateV2);
registerContacts(rapidpro);
registerFields(rapidpro);
registerGroups(rapidpro);
