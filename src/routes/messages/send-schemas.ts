import { z } from "@hono/zod-openapi";

/**
 * Outbound message bodies, one schema per WhatsApp type (on-premises/Cloud shapes).
 * Loose where WhatsApp keeps adding fields (interactive, template components), strict
 * on what WhatsApp itself rejects (lengths, coordinates, media by id or link).
 */
const media = (caption: boolean, filename = false) =>
  z
    .object({
      id: z.string().min(1).max(256).optional(),
      link: z.url().max(2048).optional(),
      ...(caption ? { caption: z.string().max(1024).optional() } : {}),
      ...(filename ? { filename: z.string().max(240).optional() } : {}),
    })
    .refine((m) => Boolean(m.id) !== Boolean(m.link), "Give exactly one of `id` (from /api/v1/media/) or `link`.");

export const TYPED_FIELDS = {
  text: z.object({ body: z.string().min(1).max(4096), preview_url: z.boolean().optional() }),
  image: media(true),
  audio: media(false),
  video: media(true),
  document: media(true, true),
  sticker: media(false),
  location: z.object({
    latitude: z.number().min(-90).max(90),
    longitude: z.number().min(-180).max(180),
    name: z.string().max(1000).optional(),
    address: z.string().max(1000).optional(),
  }),
  contacts: z
    .array(z.looseObject({ name: z.looseObject({ formatted_name: z.string().min(1) }) }))
    .min(1)
    .max(257),
  interactive: z.looseObject({
    type: z.enum(["button", "list", "product", "product_list", "cta_url", "flow", "location_request_message", "address_message"]),
    action: z.record(z.string(), z.unknown()),
    body: z.looseObject({ text: z.string().max(1024) }).optional(),
  }),
  reaction: z.object({ message_id: z.string().min(1), emoji: z.string().max(16) }),
  template: z.looseObject({
    name: z.string().min(1).max(512),
    language: z.looseObject({ code: z.string().min(2).max(15) }),
    components: z.array(z.record(z.string(), z.unknown())).optional(),
  }),
  hsm: z.looseObject({
    namespace: z.string().min(1),
    element_name: z.string().min(1),
    language: z.looseObject({ code: z.string().min(2).max(15), policy: z.string().optional() }),
    localizable_params: z.array(z.record(z.string(), z.unknown())).optional(),
  }),
} as const;

export type MessageType = keyof typeof TYPED_FIELDS;
export const MESSAGE_TYPES = Object.keys(TYPED_FIELDS) as [MessageType, ...MessageType[]];
/** Types allowed outside the 24-hour customer-service window. */
export const TEMPLATE_TYPES: MessageType[] = ["template", "hsm"];

export const SendMessageBody = z
  .object({
    wa_id: z.string().trim().min(1).max(100),
    type: z
      .enum(MESSAGE_TYPES)
      .optional()
      .openapi({ description: "Inferred when exactly one typed field is given (as in the seed's curl example)." }),
    context: z.object({ message_id: z.string().min(1) }).optional(),
    ...Object.fromEntries(Object.entries(TYPED_FIELDS).map(([k, v]) => [k, v.optional()])),
  })
  .transform((body, ctx) => {
    const present = MESSAGE_TYPES.filter((t) => (body as Record<string, unknown>)[t] !== undefined);
    const type = body.type ?? (present.length === 1 ? present[0] : undefined);
    if (!type) {
      ctx.addIssue({ code: "custom", path: ["type"], message: "This field is required." });
      return z.NEVER;
    }
    const content = (body as Record<string, unknown>)[type];
    if (content === undefined) {
      ctx.addIssue({ code: "custom", path: [type], message: `This field is required for type "${type}".` });
      return z.NEVER;
    }
    return { wa_id: body.wa_id, type, context: body.context, content };
  });
