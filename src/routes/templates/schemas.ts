import { z } from "@hono/zod-openapi";
import type { TemplateRow } from "../../db/queries/templates";

/** Today's categories, and the seed's legacy ones, which WhatsApp folded into UTILITY. */
export const CATEGORIES = ["MARKETING", "UTILITY", "AUTHENTICATION"] as const;
export const LEGACY_CATEGORIES = [
  "ACCOUNT_UPDATE",
  "PAYMENT_UPDATE",
  "PERSONAL_FINANCE_UPDATE",
  "SHIPPING_UPDATE",
  "RESERVATION_UPDATE",
  "ISSUE_RESOLUTION",
  "APPOINTMENT_UPDATE",
  "TRANSPORTATION_UPDATE",
  "TICKET_UPDATE",
  "ALERT_UPDATE",
  "AUTO_REPLY",
] as const;
export const upstreamCategory = (category: string) => ((LEGACY_CATEGORIES as readonly string[]).includes(category) ? "UTILITY" : category);

const Example = z.record(z.string(), z.unknown()).optional();
const Header = z.looseObject({
  type: z.literal("HEADER"),
  format: z.enum(["TEXT", "IMAGE", "VIDEO", "DOCUMENT", "LOCATION"]),
  text: z.string().min(1).max(60, "Ensure a header has no more than 60 characters.").optional(),
  example: Example,
});
const Body = z.looseObject({
  type: z.literal("BODY"),
  text: z.string().min(1).max(1024, "Ensure the body has no more than 1024 characters.").optional(),
  example: Example,
});
const Footer = z.looseObject({
  type: z.literal("FOOTER"),
  text: z.string().min(1).max(60, "Ensure a footer has no more than 60 characters.").optional(),
});
const Button = z.looseObject({
  type: z.enum(["QUICK_REPLY", "URL", "PHONE_NUMBER", "COPY_CODE", "OTP", "FLOW", "CATALOG", "MPM", "VOICE_CALL"]),
  text: z.string().min(1).max(25, "Ensure a button's text has no more than 25 characters.").optional(),
  url: z.string().min(1).max(2000).optional(),
  phone_number: z.string().min(1).max(20).optional(),
});
const Buttons = z.looseObject({ type: z.literal("BUTTONS"), buttons: z.array(Button).min(1).max(10) });
const Component = z.discriminatedUnion("type", [Header, Body, Footer, Buttons], {
  error: "Each component's `type` is HEADER, BODY, FOOTER or BUTTONS.",
});

/** WhatsApp's template components: at most one of each type, exactly one BODY, texts where the format needs them. */
const Components = z
  .array(Component)
  .min(1)
  .max(4)
  .superRefine((components, ctx) => {
    const types = components.map((c) => c.type);
    if (new Set(types).size !== types.length) ctx.addIssue({ code: "custom", message: "Each component type may appear once." });
    if (!types.includes("BODY")) ctx.addIssue({ code: "custom", message: "A template needs a BODY component." });
    components.forEach((c, i) => {
      if (c.type === "HEADER" && c.format === "TEXT" && !c.text) {
        ctx.addIssue({ code: "custom", path: [i, "text"], message: "A TEXT header needs `text`." });
      }
    });
  })
  .openapi({
    description: "WhatsApp's template components (HEADER, BODY, FOOTER, BUTTONS), as in Meta's Message Templates documentation.",
  });

export const TemplateBody = z
  .object({
    name: z
      .string()
      .regex(/^[a-z0-9_]{1,512}$/, "Use 1 to 512 lowercase letters, digits and underscores.")
      .openapi({ example: "order_shipped" }),
    category: z.enum([...CATEGORIES, ...LEGACY_CATEGORIES]).openapi({
      description: "MARKETING, UTILITY or AUTHENTICATION; the seed's legacy categories are accepted and sent upstream as UTILITY.",
    }),
    language: z
      .string()
      .regex(/^[a-z]{2,3}(_[A-Z]{2,4})?$/, "Use a WhatsApp language code, such as en_US or de.")
      .openapi({ example: "en_US" }),
    components: Components,
  })
  .superRefine((t, ctx) => {
    const body = t.components.find((c) => c.type === "BODY");
    if (t.category !== "AUTHENTICATION" && body && !body.text) {
      ctx.addIssue({ code: "custom", path: ["components"], message: "The BODY component needs `text`." });
    }
  })
  .openapi("NewTemplate");

export const TemplateSchema = z
  .object({
    name: z.string(),
    category: z.string(),
    language: z.string(),
    components: z.array(z.record(z.string(), z.unknown())),
    namespace: z.string().nullable(),
    rejected_reason: z.string().nullable(),
    status: z.string().openapi({ description: "The upstream's status in lower case: approved, pending, rejected, paused, disabled, ..." }),
  })
  .openapi("Template");

export const RefreshStatusSchema = z.object({ currently_refreshing: z.boolean() }).openapi("RefreshStatus");

type Cached = Pick<TemplateRow, "name" | "category" | "language" | "components" | "rejectedReason" | "status">;

export const toTemplateWire = (t: Cached, namespace: string | null): z.infer<typeof TemplateSchema> => ({
  name: t.name,
  category: t.category,
  language: t.language,
  components: t.components.filter((c): c is Record<string, unknown> => typeof c === "object" && c !== null),
  namespace,
  rejected_reason: t.rejectedReason,
  status: t.status,
});
