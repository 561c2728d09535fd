import { call } from "./api";

export const APP_SECRET = "test-app-secret";
export const VERIFY_TOKEN = "test-verify-token";

export async function sign(body: string, secret = APP_SECRET): Promise<string> {
  const key = await crypto.subtle.importKey("raw", new TextEncoder().encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(body)));
  return `sha256=${Array.from(mac, (b) => b.toString(16).padStart(2, "0")).join("")}`;
}

/** Posts a signed webhook to an inbox, as Meta (or a sandbox tool) would. */
export async function postWebhook(inboxId: string, payload: unknown, secret = APP_SECRET): Promise<Response> {
  const body = JSON.stringify(payload);
  return call(`/webhooks/whatsapp/${inboxId}`, {
    method: "POST",
    raw: body,
    headers: { "content-type": "application/json", "x-hub-signature-256": await sign(body, secret) },
  });
}

let n = 0;
/** A Cloud API envelope around one `messages` change. */
export function cloudEnvelope(value: { contacts?: unknown[]; messages?: unknown[]; statuses?: unknown[] }) {
  return {
    object: "whatsapp_business_account",
    entry: [
      {
        id: "WABA",
        changes: [{ field: "messages", value: { messaging_product: "whatsapp", metadata: { phone_number_id: "PNID" }, ...value } }],
      },
    ],
  };
}

export function textMessage(from: string, body: string, timestamp = Math.floor(Date.now() / 1000), id = `wamid.test.${Date.now()}.${n++}`) {
  return { from, id, timestamp: String(timestamp), type: "text", text: { body } };
}

export const contact = (waId: string, name: string) => ({ profile: { name }, wa_id: waId });

let chats = 0;
/** A customer number no other chat of the test file has. */
export const newWaId = () => `49151${Date.now().toString().slice(-6)}${chats++}`;
