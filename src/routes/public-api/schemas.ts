import { z } from "@hono/zod-openapi";

/** The seed's UUID pattern (v1–v8, plus the nil and max UUIDs). */
const UUID =
  /^([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[1-8][0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}|00000000-0000-0000-0000-000000000000|ffffffff-ffff-ffff-ffff-ffffffffffff)$/;
const Uuid = z.string().regex(UUID, "Must be a valid UUID.");
/** The seed's minimum lengths: an empty string counts as missing. */
const Given = z
  .string()
  .max(255)
  .optional()
  .transform((v) => (v === "" ? undefined : v));
const NoNull = (s: z.ZodString) => s.refine((v) => !v.includes("\u0000"), "Null characters are not allowed.");

export const CHANNELS = ["whatsapp", "web-whatsapp", "webchat"] as const;

export const CustomerUpsertBody = z
  .object({
    channel: z.enum(CHANNELS, { error: (issue) => `"${String(issue.input)}" is not a valid choice.` }),
    channel_phone_number: Given.openapi({ description: "Phone number or inbox id of the channel (whatsapp, web-whatsapp)." }),
    contact_phone_number: Given,
    channel_id: Given.openapi({ description: "UUID of the webchat channel (webchat)." }),
    external_user_id: Given,
    contact_name: NoNull(z.string().max(64, "Ensure this field has no more than 64 characters.")).optional(),
    contact_email: z.email("Enter a valid email address.").max(254).optional(),
    stageId: Uuid.optional(),
    agentId: Uuid.optional(),
    meta_data: z
      .record(z.string(), z.unknown())
      .optional()
      .openapi({ description: "Merged key by key into the contact's (null deletes a key); at most 16 KB." }),
    custom_field_values: z
      .array(z.object({ key: z.string().min(1).max(36), value: z.union([z.string(), z.number(), z.boolean()]) }))
      .max(100, "This field can only contain up to 100 items.")
      .optional(),
  })
  .superRefine((b, ctx) => {
    const required =
      b.channel === "webchat" ? (["channel_id", "external_user_id"] as const) : (["channel_phone_number", "contact_phone_number"] as const);
    for (const key of required) if (!b[key]) ctx.addIssue({ code: "custom", path: [key], message: "This field is required." });
    if (b.channel_id && !UUID.test(b.channel_id)) ctx.addIssue({ code: "custom", path: ["channel_id"], message: "Must be a valid UUID." });
    if (b.meta_data && JSON.stringify(b.meta_data).length > 16_384) {
      ctx.addIssue({ code: "custom", path: ["meta_data"], message: "Ensure this field has no more than 16 KB." });
    }
  })
  .openapi("CustomerUpsert");

export const CustomerSchema = z
  .object({
    id: z.string(),
    name: z.string().nullable(),
    phone: z.string().nullable(),
    email: z.string().nullable(),
    platform: z.enum(CHANNELS),
    client_id: z.string(),
    ai_customer_id: z.string(),
    created_at: z.string(),
    default_stage_id: z.string().nullable(),
  })
  .openapi("Customer");
