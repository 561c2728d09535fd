import { DomainError } from "../errors";
import { cloudProvider } from "./cloud";
import { dialog360Provider } from "./dialog360";
import { onpremProvider } from "./onprem";
import { sandboxProvider } from "./sandbox";

/**
 * One interface over the four ways an inbox reaches WhatsApp. Our API speaks the
 * on-premises message format; each adapter translates to what its upstream expects.
 */

export { ProviderError } from "./upstream";

export type ProviderInbox = {
  id: string;
  provider: "cloud" | "360dialog" | "onprem" | "sandbox" | "webchat";
  config: Record<string, unknown>;
  secrets: Record<string, string>;
};

export type SendResult = {
  id: string;
  /** The upstream's JSON answer, returned to our client as `waba_response`. */
  response: Record<string, unknown>;
};

export type MediaFile = { bytes: ArrayBuffer; mimeType: string; sha256?: string };

export type UploadFile = { bytes: ArrayBuffer; mimeType: string; filename?: string };

export interface Provider {
  /**
   * `message` is the WhatsApp on-premises/Cloud message object: {to, type, text|image|...|template|hsm,
   * context?, recipient_type?}. The adapter adds what its API needs (e.g. Cloud's messaging_product).
   */
  sendMessage(message: Record<string, unknown>): Promise<SendResult>;
  uploadMedia(file: UploadFile): Promise<{ id: string }>;
  /** Fetches inbound media by the provider's media id. */
  downloadMedia(mediaId: string): Promise<MediaFile>;
}

/** Throws ProviderError(500) when the inbox lacks settings its provider needs. */
export function providerFor(inbox: ProviderInbox): Provider {
  switch (inbox.provider) {
    case "cloud":
      return cloudProvider(inbox);
    case "360dialog":
      return dialog360Provider(inbox);
    case "onprem":
      return onpremProvider(inbox);
    case "sandbox":
      return sandboxProvider();
    case "webchat":
      throw new DomainError("invalid", { detail: WEBCHAT_NOT_WHATSAPP });
  }
}

/** What WhatsApp endpoints addressed at a webchat channel answer. */
export const WEBCHAT_NOT_WHATSAPP = "This inbox is a webchat channel: it has no WhatsApp number, so the WhatsApp API does not serve it.";
