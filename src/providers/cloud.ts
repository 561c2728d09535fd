import { z } from "zod";
import { cloudCompatibleProvider } from "./cloud-compatible";
import { DEFAULT_BASE_URLS } from "./config";
import type { Provider, ProviderInbox } from "./provider";
import { readSettings, segment, trimSlash } from "./upstream";

/** Meta's WhatsApp Cloud API (Graph API), authenticated with the system user's access token. */

const Settings = z.object({
  phone_number_id: z.string().min(1),
  access_token: z.string().min(1),
  api_base_url: z.string().min(1).optional(),
});

export function cloudProvider(inbox: Pick<ProviderInbox, "config" | "secrets">): Provider {
  const settings = readSettings(inbox, Settings);
  const base = trimSlash(settings.api_base_url ?? String(DEFAULT_BASE_URLS.cloud));
  const phone = `${base}/${segment(settings.phone_number_id)}`;
  return cloudCompatibleProvider({
    messagesUrl: `${phone}/messages`,
    mediaUrl: `${phone}/media`,
    mediaInfoUrl: (mediaId) => `${base}/${segment(mediaId)}`,
    headers: { Authorization: `Bearer ${settings.access_token}` },
    // Meta's media host takes the same bearer token directly.
    mediaFileUrl: (url) => url,
  });
}
