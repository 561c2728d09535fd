import { z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { config } from "../../config";
import type { AppEnv } from "../../context";
import type { Delivery, WebhookWithUser } from "../../db/queries/webhooks";
import { DELIVERY_STATES } from "../../db/schema";
import { fieldErrors } from "../../errors";
import { PageQuery } from "../../services/pagination";
import { urlProblem } from "../../webhooks/url-policy";

const Flag = z.boolean();
export const WebhookBody = z.object({
  url: z.string().trim().min(1, "This field may not be blank.").max(2000, "Ensure this field has no more than 2000 characters."),
  on_incoming_message: Flag.optional().openapi({
    description: "Inbound messages (raw WABA fields plus `incoming_messages`) and statuses.",
  }),
  on_outgoing_message: Flag.optional().openapi({ description: "`outgoing_messages`: every message an inbox user sends." }),
  on_assigned: Flag.optional().openapi({
    description: "`assigned_messages`: new messages of chats assigned to you, and chats at the moment they are assigned.",
  }),
  is_active: Flag.optional(),
  user: z
    .number()
    .int()
    .positive()
    .optional()
    .openapi({ description: "Admins only: create the webhook for this user (an app or bot). Default: you." }),
});

export const WebhookSchema = z
  .object({
    id: z.number().int(),
    user: z.object({ id: z.number().int(), username: z.string(), url: z.string() }),
    url: z.string(),
    on_incoming_message: z.boolean(),
    on_outgoing_message: z.boolean(),
    on_assigned: z.boolean(),
    is_active: z.boolean(),
  })
  .openapi("WabaWebhook");
export const WebhookWithSecretSchema = WebhookSchema.extend({
  secret: z.string().openapi({ description: "Standard Webhooks signing secret (`whsec_...`); shown only here." }),
}).openapi("WabaWebhookWithSecret");

export const toWebhookWire = (w: WebhookWithUser, baseUrl: string): z.infer<typeof WebhookSchema> => ({
  id: w.id,
  user: { id: w.userId, username: w.username, url: `${baseUrl}/api/v1/users/${w.userId}/` },
  url: w.url,
  on_incoming_message: w.onIncomingMessage,
  on_outgoing_message: w.onOutgoingMessage,
  on_assigned: w.onAssigned,
  is_active: w.isActive,
});

/** A webhook or rule-engine URL as it is saved: refused with the reason when it may not receive calls. */
export function checkedUrl(c: Context<AppEnv>, url: string, field = "url"): string {
  const problem = urlProblem(url, config(c.env).WEBHOOK_LOCAL_URLS);
  if (problem) throw fieldErrors({ [field]: [problem] });
  return url;
}

export const DeliverySchema = z
  .object({
    id: z.string(),
    event_id: z.string().openapi({ description: "The `webhook-id` header of every attempt." }),
    event_type: z.string(),
    state: z.enum(DELIVERY_STATES),
    created_at: z.number().int(),
    attempts: z.array(
      z.object({
        at: z.number().int(),
        status_code: z.number().int().nullable().openapi({ description: "Null when no answer came (a timeout, a refused connection)." }),
        latency_ms: z.number().int(),
        response_excerpt: z.string().nullable(),
        error: z.string().nullable(),
      }),
    ),
  })
  .openapi("Delivery");
export const DeliveryQuery = PageQuery.extend({ state: z.enum(DELIVERY_STATES).optional() });

export const toDeliveryWire = (d: Pick<Delivery, "id" | "eventId" | "eventType" | "state" | "attempts" | "createdAt">) => ({
  id: d.id,
  event_id: d.eventId,
  event_type: d.eventType,
  state: d.state,
  created_at: d.createdAt,
  attempts: d.attempts,
});
