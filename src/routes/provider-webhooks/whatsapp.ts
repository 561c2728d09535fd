import { Hono } from "hono";
import type { AppEnv } from "../../context";
import { insertProviderEvents, type ProviderEvent } from "../../db/queries/provider-events";
import { ApiError, notFound } from "../../errors";
import { parseWebhook } from "../../inbound/envelope";
import { verifySignature } from "../../inbound/signature";
import { enqueueMediaFetch } from "../../queues/jobs";
import { safeEqual } from "../../services/crypto";
import { mediaOf, toIngest } from "../../services/inbound";
import { inboxById } from "../../services/inbox-cache";
import { inboxSecrets } from "../../services/inboxes";

/**
 * `/webhooks/whatsapp/{inboxId}`: every provider (and the sandbox) posts here.
 * The signature is checked over the raw bytes before anything is parsed; the answer
 * is 200 only once the inbox object reports the messages durable in D1.
 */
export const whatsappWebhooks = new Hono<AppEnv>();

async function loadInbox(c: { get(k: "db"): AppEnv["Variables"]["db"] }, id: string) {
  const inbox = await inboxById(c.get("db"), id);
  if (!inbox) throw notFound();
  return inbox;
}

whatsappWebhooks.get("/webhooks/whatsapp/:inboxId", async (c) => {
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

whatsappWebhooks.post("/webhooks/whatsapp/:inboxId", async (c) => {
  const inbox = await loadInbox(c, c.req.param("inboxId"));
  const { app_secret } = await inboxSecrets(c.env, inbox);
  if (!app_secret) throw new ApiError(401, { detail: "Webhook signing is not configured for this inbox (config.app_secret)." });
  const raw = await c.req.arrayBuffer();
  if (!(await verifySignature(raw, c.req.header("x-hub-signature-256"), app_secret))) {
    throw new ApiError(401, { detail: "Invalid or missing X-Hub-Signature-256." });
  }
  let body: unknown;
  try {
    body = JSON.parse(new TextDecoder().decode(raw));
  } catch (e) {
    throw new ApiError(400, { detail: `JSON parse error - ${(e as Error).message}` });
  }
  const phoneNumberId = typeof inbox.config.phone_number_id === "string" ? inbox.config.phone_number_id : undefined;
  const batch = parseWebhook(body, { phoneNumberId });
  const { messages, statuses } = toIngest(inbox.id, batch);
  const stub = c.env.INBOX.get(c.env.INBOX.idFromName(inbox.id));
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
    if (events.length) await insertProviderEvents(c.get("db"), inbox.id, events);
  } catch (e) {
    // Answer so the provider redelivers: its messages are then duplicates (no-ops) and the events land.
    console.error(JSON.stringify({ level: "error", inbox: inbox.id, providerEvents: events.length, error: String(e) }));
    throw new ApiError(503, { detail: "Webhook content could not be stored yet; retry." }, { "Retry-After": "5" });
  }
  return c.json({ stored: result.stored.length, duplicates: result.duplicates.length, invalid: batch.invalid.length }, 200);
});
