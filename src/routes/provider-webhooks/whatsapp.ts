import { createRoute, z } from "@hono/zod-openapi";
import type { AppEnv } from "../../context";
import type { ProviderEvent } from "../../db/queries/provider-events";
import { ApiError, notFound } from "../../errors";
import { parseJson } from "../../http/json";
import { createApp, ErrorSchema, errorResponses, json, PUBLIC } from "../../http/openapi";
import { parseWebhook } from "../../inbound/envelope";
import { verifySignature } from "../../inbound/signature";
import { inboxObject } from "../../inbox/stub";
import { enqueueMediaFetch } from "../../queues/jobs";
import { safeEqual } from "../../services/crypto";
import { mediaOf, toIngest } from "../../services/inbound";
import { inboxById } from "../../services/inbox-cache";
import { inboxSecrets } from "../../services/inboxes";
import { keepProviderEvents } from "../../services/provider-events";
import { applyTemplateStatusUpdate } from "../../services/templates";

/**
 * `/webhooks/whatsapp/{inboxId}`: every provider (and the sandbox) posts here.
 * The signature is checked over the raw bytes before anything is parsed; the answer
 * is 200 only once the inbox object reports the messages durable in D1.
 */
export const whatsappWebhooks = createApp();

const params = z.object({ inboxId: z.string().openapi({ param: { name: "inboxId", in: "path" }, description: "The inbox's id." }) });
const handshake = createRoute({
  method: "get",
  path: "/webhooks/whatsapp/{inboxId}",
  tags: ["Provider webhooks"],
  summary: "Webhook verification handshake",
  description: "Meta's `hub.challenge` handshake: answers the challenge when `hub.verify_token` equals the inbox's `config.verify_token`.",
  ...PUBLIC,
  request: {
    params,
    query: z.object({
      "hub.mode": z.string().optional(),
      "hub.verify_token": z.string().optional(),
      "hub.challenge": z.string().optional(),
    }),
  },
  responses: {
    200: { description: "The challenge, as text.", content: { "text/plain": { schema: z.string() } } },
    403: errorResponses[403],
  },
});
const receive = createRoute({
  method: "post",
  path: "/webhooks/whatsapp/{inboxId}",
  tags: ["Provider webhooks"],
  summary: "Inbound WhatsApp traffic",
  description:
    "A Cloud API envelope or an on-premises payload, signed with `X-Hub-Signature-256` (HMAC-SHA256 of the raw body with `config.app_secret`). 200 once every message is stored; items that cannot be read or stored are kept as unreadable and counted in `invalid`. 503 only while storage is unavailable (retry).",
  ...PUBLIC,
  request: {
    params,
    headers: z.object({ "x-hub-signature-256": z.string().optional().openapi({ example: "sha256=…" }) }),
    // Documentation only (a JSON schema, not zod): the body is read raw, after the signature check.
    body: { required: true, content: { "application/json": { schema: { type: "object" as const } } } },
  },
  responses: {
    200: json(z.object({ stored: z.number().int(), duplicates: z.number().int(), invalid: z.number().int() }), "Stored."),
    401: json(ErrorSchema, "Missing or wrong signature."),
    404: errorResponses[404],
    503: json(ErrorSchema, "Storage unavailable; the provider retries."),
  },
});

async function loadInbox(c: { get(k: "db"): AppEnv["Variables"]["db"] }, id: string) {
  const inbox = await inboxById(c.get("db"), id);
  if (!inbox) throw notFound();
  return inbox;
}

whatsappWebhooks.openapi(handshake, async (c) => {
  const inbox = await loadInbox(c, c.req.param("inboxId"));
  const { verify_token } = await inboxSecrets(c.env, inbox);
  const mode = c.req.query("hub.mode");
  const token = c.req.query("hub.verify_token") ?? "";
  const challenge = c.req.query("hub.challenge") ?? "";
  if (mode !== "subscribe" || !verify_token || !safeEqual(token, verify_token)) {
    throw new ApiError(403, { detail: "Verification failed." });
  }
  return c.text(challenge, 200);
});

whatsappWebhooks.openapi(receive, async (c) => {
  const inbox = await loadInbox(c, c.req.param("inboxId"));
  const { app_secret } = await inboxSecrets(c.env, inbox);
  if (!app_secret) throw new ApiError(401, { detail: "Webhook signing is not configured for this inbox (config.app_secret)." });
  const raw = await c.req.arrayBuffer();
  if (!(await verifySignature(raw, c.req.header("x-hub-signature-256"), app_secret))) {
    throw new ApiError(401, { detail: "Invalid or missing X-Hub-Signature-256." });
  }
  // No limits on the whole: the envelope parser holds each item to what storage takes, so one bad item costs only itself.
  const read = parseJson(new TextDecoder().decode(raw), null);
  if (!read.ok) throw new ApiError(400, { detail: read.error });
  const body = read.value;
  const phoneNumberId = typeof inbox.config.phone_number_id === "string" ? inbox.config.phone_number_id : undefined;
  const batch = parseWebhook(body, { phoneNumberId });
  const { messages, statuses } = toIngest(inbox.id, batch);
  const stub = inboxObject(c.env, inbox.id);
  let result: Awaited<ReturnType<typeof stub.ingest>>;
  try {
    result = await stub.ingest(inbox.id, messages, statuses);
  } catch (e) {
    // Nothing was acknowledged: the provider retries, and the ledger stores each message once then.
    console.error(JSON.stringify({ level: "error", inbox: inbox.id, error: String(e) }));
    throw new ApiError(503, { detail: "Messages could not be stored yet; retry." }, { "Retry-After": "5" });
  }
  // Media ids in webhooks expire (7 days; download URLs in minutes): fetch at once, through the queue's retries.
  // Queued before the 200, so a failure here makes the provider redeliver; duplicate jobs are harmless.
  const media = inbox.provider === "sandbox" ? [] : mediaOf(batch.messages);
  if (media.length)
    await enqueueMediaFetch(
      c.env,
      media.map((m) => ({ inboxId: inbox.id, ...m })),
    );
  // Last: everything else the provider sent, kept as received (after the messages, which matter most).
  const events: ProviderEvent[] = [
    ...batch.other.map((o) => ({ kind: "field" as const, name: o.field, payload: o.value ?? null })),
    ...batch.errors.map((e) => ({ kind: "error" as const, name: "errors", payload: e ?? null })),
    ...batch.invalid.map((i) => ({ kind: "invalid" as const, name: i.reason.slice(0, 500), payload: i.item ?? null })),
  ];
  try {
    await keepProviderEvents(c.env, c.get("db"), inbox.id, events, raw);
  } catch (e) {
    // Answer so the provider redelivers: its messages are then duplicates (no-ops) and the events land.
    console.error(JSON.stringify({ level: "error", inbox: inbox.id, providerEvents: events.length, error: String(e) }));
    throw new ApiError(503, { detail: "Webhook content could not be stored yet; retry." }, { "Retry-After": "5" });
  }
  // The template copy follows Meta's verdicts at once; a miss here is repaired by the next refresh.
  for (const o of batch.other.filter((o) => o.field === "message_template_status_update")) {
    await applyTemplateStatusUpdate(c.get("db"), inbox.id, o.value).catch((e) =>
      console.error(JSON.stringify({ level: "error", inbox: inbox.id, templateStatus: String(e) })),
    );
  }
  return c.json({ stored: result.stored.length, duplicates: result.duplicates.length, invalid: batch.invalid.length }, 200);
});
