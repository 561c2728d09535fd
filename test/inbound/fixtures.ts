/** Inbound WhatsApp message objects, one per type, shaped like Meta's webhook reference examples. */

const FROM = "4915112345678";
let seq = 0;

function message(type: string, fields: Record<string, unknown>): Record<string, unknown> {
  seq += 1;
  return { from: FROM, id: `wamid.${type}.${seq}`, timestamp: String(1_700_000_000 + seq), type, ...fields };
}

export const MESSAGES = {
  text: message("text", { text: { body: "Hello there" } }),
  image: message("image", { image: { id: "media-1", mime_type: "image/jpeg", sha256: "abc", caption: "Our shop" } }),
  audio: message("audio", { audio: { id: "media-2", mime_type: "audio/ogg; codecs=opus", voice: true } }),
  voice: message("voice", { voice: { id: "media-3", mime_type: "audio/ogg", file: "/usr/local/wamedia/x" } }),
  video: message("video", { video: { id: "media-4", mime_type: "video/mp4", caption: "Unboxing" } }),
  document: message("document", { document: { id: "media-5", caption: "Invoice", filename: "invoice-42.pdf" } }),
  sticker: message("sticker", { sticker: { id: "media-6", mime_type: "image/webp", animated: false } }),
  location: message("location", {
    location: { latitude: 52.52, longitude: 13.405, name: "Brandenburg Gate", address: "Pariser Platz, Berlin" },
  }),
  contacts: message("contacts", {
    contacts: [
      { name: { formatted_name: "Ada Lovelace", first_name: "Ada" }, phones: [{ phone: "+44 20 7946 0000", type: "WORK" }] },
      { name: { formatted_name: "Alan Turing" }, phones: [{ phone: "+44 20 7946 0001" }, { phone: "+44 20 7946 0002" }] },
    ],
  }),
  buttonReply: message("interactive", {
    interactive: { type: "button_reply", button_reply: { id: "yes", title: "Yes, please" } },
    context: { from: "15550001111", id: "wamid.original-1" },
  }),
  listReply: message("interactive", {
    interactive: { type: "list_reply", list_reply: { id: "row-2", title: "Express", description: "Next-day delivery" } },
  }),
  nfmReply: message("interactive", {
    interactive: { type: "nfm_reply", nfm_reply: { name: "flow", body: "Sent", response_json: '{"flow_token":"t"}' } },
  }),
  button: message("button", { button: { payload: "STOP", text: "Stop promotions" }, context: { id: "wamid.template-1" } }),
  reaction: message("reaction", { reaction: { message_id: "wamid.out-1", emoji: "\u{1F44D}" } }),
  unreaction: message("reaction", { reaction: { message_id: "wamid.out-1", emoji: "" } }),
  order: message("order", {
    order: { catalog_id: "cat-1", text: "Two please", product_items: [{ product_retailer_id: "sku-1", quantity: "2" }] },
  }),
  referral: message("text", {
    text: { body: "Is this still available?" },
    referral: { source_type: "ad", source_id: "ad-1", headline: "Summer sale", body: "50% off sneakers" },
  }),
  system: message("system", {
    system: { body: "User A changed from 4915112345678 to 4915199999999", type: "user_changed_number", new_wa_id: "4915199999999" },
  }),
  unsupported: message("unsupported", {
    errors: [{ code: 131051, title: "Message type unknown", error_data: { details: "Message type is currently not supported." } }],
    unsupported: { type: "poll_update" },
  }),
  unknown: message("unknown", { errors: [{ code: 501, title: "Unknown message type" }] }),
} satisfies Record<string, Record<string, unknown>>;

/** A Cloud API `messages` change. */
export function change(value: Record<string, unknown>, phoneNumberId = "106540352242922") {
  return {
    field: "messages",
    value: { messaging_product: "whatsapp", metadata: { display_phone_number: "15550783881", phone_number_id: phoneNumberId }, ...value },
  };
}

export function status(id: string, value: string, extra: Record<string, unknown> = {}) {
  return { id, status: value, timestamp: "1700000100", recipient_id: "4915112345678", ...extra };
}
