import { z } from "zod";
import { cloudCompatibleProvider } from "./cloud-compatible";
import { DEFAULT_BASE_URLS } from "./config";
import type { Provider, ProviderInbox } from "./provider";
import { readSettings, segment, trimSlash } from "./upstream";

/** Meta's WhatsApp Cloud API (Graph API), authenticated with the system user's access token. */

const Settings = z.object({
  phone_number_id: z.string().min(1),
  access_token: z.string().min(1),
  waba_id: z.string().min(1).optional(),
  app_id: z.string().min(1).optional(),
  api_base_url: z.string().min(1).optional(),
});

/**
 * Where and how to call the Graph API for an inbox: the base, the number's and the
 * account's URL prefixes (ids already `segment()`ed), and the credentials. Every Cloud
 * capability (messages, templates, business profile) builds on this.
 */
export function cloudApi(inbox: Pick<ProviderInbox, "config" | "secrets">) {
  const settings = readSettings(inbox, Settings);
  const base = trimSlash(settings.api_base_url ?? String(DEFAULT_BASE_URLS.cloud));
  return {
    base,
    phone: `${base}/${segment(settings.phone_number_id)}`,
    /** The WhatsApp Business Account (templates live there); null when the inbox does not name it. */
    waba: settings.waba_id ? `${base}/${segment(settings.waba_id)}` : null,
    /** The Meta app (the Resumable Upload API for the profile photo); null when not configured. */
    app: settings.app_id ? `${base}/${segment(settings.app_id)}` : null,
    headers: { Authorization: `Bearer ${settings.access_token}` },
  };
}

export function cloudProvider(inbox: Pick<ProviderInbox, "config" | "secrets">): Provider {
  const { base, phone, headers } = cloudApi(inbox);
  return cloudCompatibleProvider({
    messagesUrl: `${phone}/messages`,
    mediaUrl: `${phone}/media`,
    mediaInfoUrl: (mediaId) => `${base}/${segment(mediaId)}`,
    headers,
    // Meta's media host takes the same bearer token directly.
    mediaFileUrl: (url) => url,
  });
}
