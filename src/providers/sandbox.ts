import { randomHex } from "../services/crypto";
import type { Provider } from "./provider";
import { providerError } from "./upstream";

/**
 * An inbox without WhatsApp behind it, for trying the API and for tests: sends succeed
 * with a Cloud-shaped answer so clients see what they would in production.
 */
export function sandboxProvider(): Provider {
  return {
    async sendMessage(message) {
      const to = typeof message.to === "string" ? message.to : String(message.to ?? "");
      const id = `wamid.sandbox.${randomHex(16)}`;
      // Like Cloud: `input` echoes the request, `wa_id` is the bare digits of the WhatsApp id.
      const response = { messaging_product: "whatsapp", contacts: [{ input: to, wa_id: to.replace(/\D/g, "") }], messages: [{ id }] };
      return { id, response };
    },

    async uploadMedia() {
      return { id: crypto.randomUUID() };
    },

    async downloadMedia() {
      // Sandbox media is stored by us (R2), never by an upstream, so there is nothing to fetch here.
      throw providerError(404, "Sandbox inboxes have no upstream media.");
    },
  };
}
