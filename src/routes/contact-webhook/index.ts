import { createRoute, z } from "@hono/zod-openapi";
import { ContactObjectSchema } from "../../contacts/wire";
import { ApiError, badRequest, notFound, validationError } from "../../errors";
import { bodyDoc, readRawBody } from "../../http/body";
import { createApp, ErrorSchema, json, PUBLIC } from "../../http/openapi";
import { authenticateApiKey } from "../../middleware/api-key";
import { validateGroupName } from "../../services/contact-groups";
import { assignOperation, deleteOperation, flowOperation, upsertOperation } from "../../services/contact-webhook";

/**
 * `POST /webhooks/contacts/{key}`: the Polser contact webhook (seed 000). The URL is the
 * secret: `{key}` is a workspace API key, and an unknown or revoked one is a 404.
 */
export const contactWebhook = createApp();

const NoNull = (s: z.ZodString) => s.refine((v) => !v.includes("\u0000"), "Null characters are not allowed.");
const Phone = NoNull(z.string().trim().min(1).max(64));
/** Polser's booleans are the strings "true"/"false" (any case); JSON booleans are read too. */
const Flag = z
  .union([z.boolean(), z.string()])
  .transform((v, ctx) => {
    if (typeof v === "boolean") return v;
    const lower = v.trim().toLowerCase();
    if (lower === "true" || lower === "false") return lower === "true";
    ctx.addIssue({ code: "custom", message: 'Must be "true" or "false".' });
    return z.NEVER;
  })
  .openapi({ type: "string", enum: ["true", "false"] });
/** A comma-separated string (or a list of strings): each trimmed, empty ones dropped, each a valid group name. */
const Labels = z.union([NoNull(z.string().max(10_000)), z.array(NoNull(z.string().max(200))).max(100)]).transform((v, ctx) => {
  const labels = (typeof v === "string" ? v.split(",") : v).map((l) => l.trim()).filter(Boolean);
  for (const label of labels) {
    const problem = validateGroupName(label);
    if (problem) ctx.addIssue({ code: "custom", message: `"${label}": ${problem}` });
  }
  if (labels.length > 100) ctx.addIssue({ code: "custom", message: "At most 100 labels." });
  return labels;
});
const Text = NoNull(z.string().max(1000, "Ensure this field has no more than 1000 characters."));
const Item = z.strictObject({ text: Text.min(1), description: Text.optional(), link: Text.optional() });
const Sections = z
  .record(NoNull(z.string().min(1).max(100)), z.array(Item).max(100).nullable())
  .refine((s) => Object.keys(s).length <= 50, "At most 50 sections.")
  .openapi({ description: "Sections by name: a list replaces the section, null or [] removes it; sections not sent stay." });
const Contact = z.object({
  phone: Phone,
  name: NoNull(z.string().trim().min(1).max(64, "Ensure this field has no more than 64 characters.")).optional(),
  labels: Labels.optional(),
  enhanced_data: Sections.optional(),
});

const UpsertBody = z.object({
  contact: Contact,
  overrideLabels: Flag.optional(),
  inviteNewContacts: Flag.optional(),
  source_phone: Phone.optional().openapi({ description: "The number invitations go out from (default: the workspace's first)." }),
});
const AssignBody = z.object({
  contact: Contact,
  source_phone: Phone,
  assignee: NoNull(z.string().trim().min(1).max(254)).openapi({ description: "The e-mail of an active user (ignoring case)." }),
});
const DeleteBody = z.object({
  delete_contact: z
    .union([Phone, z.array(z.unknown())])
    .refine((v) => !Array.isArray(v), "One phone number per call: send one webhook per contact."),
});
const FlowBody = z.object({
  flow_data: z.object({
    source_phone: Phone,
    phone: Phone,
    name: NoNull(z.string().trim().min(1).max(64, "Ensure this field has no more than 64 characters.")),
    flow_name: NoNull(z.string().trim().min(1).max(100)),
  }),
});

const SHAPES =
  'Send one operation: {"contact": {"phone", ...}} (upsert), {"contact", "source_phone", "assignee"} (assign), {"delete_contact": "<phone>"} alone, or {"flow_data": {"source_phone", "phone", "name", "flow_name"}}.';

const Answer = z
  .object({
    operation: z.enum(["upsert_contact", "assign_conversation", "delete_contact", "trigger_flow"]),
    contact: ContactObjectSchema.optional(),
    created: z.boolean().optional(),
    invited: z.boolean().optional(),
    chat: z
      .object({
        inbox_id: z.string(),
        wa_id: z.string(),
        assigned_to_user: z.number().int().nullable(),
        assigned_group: z.number().int().nullable(),
      })
      .optional(),
    deleted: z.object({ contacts: z.number().int(), chats: z.number().int(), messages: z.number().int() }).optional(),
    flow_token: z.string().nullable().optional(),
  })
  .openapi("ContactWebhookAnswer");

const route = createRoute({
  method: "post",
  path: "/webhooks/contacts/{key}",
  tags: ["Contact webhook"],
  summary: "Contact webhook (Polser)",
  description: `One operation per call, chosen by the body's shape. ${SHAPES} The URL carries a workspace API key (\`sbk_…\`, its \`contact_webhook_url\`).`,
  ...PUBLIC,
  request: {
    params: z.object({ key: z.string().openapi({ param: { name: "key", in: "path" }, description: "A workspace API key." }) }),
    body: bodyDoc(z.union([UpsertBody, AssignBody, DeleteBody, FlowBody]), "One of the four operations."),
  },
  responses: {
    200: json(Answer, "Done: the operation and, where there is one, the contact."),
    400: json(ErrorSchema, "The body names each problem (nothing was written)."),
    404: json(ErrorSchema, "Unknown or revoked key; or no contact, chat or conversation for the number."),
    502: json(ErrorSchema, "The contact was saved, but WhatsApp refused the invitation or flow template (`contact` included)."),
  },
});

function parse<T extends z.ZodType>(schema: T, raw: unknown): z.infer<T> {
  const parsed = schema.safeParse(raw, { reportInput: true });
  if (!parsed.success) throw validationError(parsed.error);
  return parsed.data;
}

contactWebhook.openapi(route, async (c) => {
  const workspaceId = await authenticateApiKey(c, c.req.param("key"));
  if (!workspaceId) throw notFound();
  const raw = await readRawBody(c);
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) throw new ApiError(400, { detail: SHAPES });
  const body = raw as Record<string, unknown>;
  const db = c.get("db");
  const has = (key: string) => Object.hasOwn(body, key);
  if (has("delete_contact")) {
    if (Object.keys(body).length > 1) throw badRequest(`delete_contact goes alone. ${SHAPES}`);
    const { delete_contact } = parse(DeleteBody, body);
    return c.json(await deleteOperation(c.env, db, workspaceId, delete_contact as string), 200);
  }
  if (has("flow_data")) return c.json(await flowOperation(c.env, db, workspaceId, parse(FlowBody, body).flow_data), 200);
  if (has("contact") && has("assignee")) return c.json(await assignOperation(c.env, db, workspaceId, parse(AssignBody, body)), 200);
  if (has("contact")) return c.json(await upsertOperation(c.env, db, workspaceId, parse(UpsertBody, body)), 200);
  throw badRequest(SHAPES);
});
