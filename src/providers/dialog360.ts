import { z } from "zod";
import { cloudCompatibleProvider } from "./cloud-compatible";
import { DEFAULT_BASE_URLS } from "./config";
import type { Provider, ProviderInbox } from "./provider";
import { readSettings, segment, trimSlash } from "./upstream";

/** 360dialog's v2 API: the Cloud API protocol, per number rather than per phone_number_id, keyed by D360-API-KEY. */

const Settings = z.object({
  api_key: z.string().min(1),
  api_base_url: z.string().min(1).optional(),
});

/** Where and how to call 360dialog for an inbox; every 360dialog capability builds on this. */
export function dialog360Api(inbox: Pick<ProviderInbox, "config" | "secrets">) {
  const settings = readSettings(inbox, Settings);
  return {
    base: trimSlash(settings.api_base_url ?? String(DEFAULT_BASE_URLS["360dialog"])),
    headers: { "D360-API-KEY": settings.api_key },
  };
}

export function dialog360Provider(inbox: Pick<ProviderInbox, "config" | "secrets">): Provider {
  const { base, headers } = dialog360Api(inbox);
  return cloudCompatibleProvider({
    messagesUrl: `${base}/messages`,
    mediaUrl: `${base}/media`,
    mediaInfoUrl: (mediaId) => `${base}/${segment(mediaId)}`,
    headers,
    mediaFileUrl: (url) => proxiedMediaUrl(base, url),
  });
}

/**
 * The media info names Meta's host (https://lookaside.fbsbx.com/whatsapp_business/attachments/?mid=...),
 * which does not accept a 360dialog key; 360dialog serves the same path and query behind its own
 * host. A base with a path (a proxy in front of 360dialog) keeps that path as a prefix.
 */
export function proxiedMediaUrl(base: string, url: string): string {
  const meta = new URL(url);
  return `${trimSlash(base)}${meta.pathname}${meta.search}`;
}
