import { createRoute } from "@hono/zod-openapi";
import { bodyDoc, readBody } from "../../http/body";
import { type App, ErrorSchema, json } from "../../http/openapi";
import { assignAsAdmin, chatWith } from "../../services/contact-webhook";
import { upsertCustomer } from "../../services/workspace-contacts";
import { CustomerSchema, CustomerUpsertBody } from "./schemas";

const route = createRoute({
  method: "post",
  path: "/customer/upsert/info",
  tags: ["Contacts (seed 003)"],
  summary: "Create or find a contact",
  description:
    "Seed 003, with a workspace API key in `x-api-key`. whatsapp and web-whatsapp find the contact by `contact_phone_number` (`whatsapp:<digits>`, else `tel:+<digits>`) on a WhatsApp number of the workspace (`channel_phone_number`, by number or inbox id) and create it with `whatsapp:<digits>` otherwise; given keys update it (`contact_name`, `contact_email` as its `mailto:` URN, `stageId`, `agentId` as its responsible agent, `meta_data` merged key by key). webchat finds and creates by `webchat:<external_user_id>` on a webchat inbox (`channel_id`). `custom_field_values` are checked strictly by their field's type; a value of an identifier field finds the contact when the number does not. The agent also takes the contact's chat on that number. 201 created, 200 found.",
  request: { body: bodyDoc(CustomerUpsertBody, undefined, { jsonOnly: true }) },
  responses: {
    200: json(CustomerSchema, "Found (and updated)."),
    201: json(CustomerSchema, "Created."),
    400: json(ErrorSchema, "The body names each problem."),
    401: json(ErrorSchema, "Invalid or missing API key."),
  },
});

export const registerCustomerUpsert = (app: App) =>
  app.openapi(route, async (c) => {
    const principal = c.get("principal");
    if (principal?.kind !== "api_key") throw new Error("unreachable: the public API authenticates its keys first");
    const body = await readBody(c, CustomerUpsertBody, { jsonOnly: true });
    const db = c.get("db");
    const { contact, created, urns, inboxId, digits, agentId } = await upsertCustomer(db, principal.workspaceId, body);
    // The agent also takes the contact's chat on that number, if there is one, as Polser's assign does.
    if (agentId !== null && digits !== null) {
      const chat = await chatWith(db, principal.workspaceId, inboxId, contact, digits);
      if (chat) await assignAsAdmin(c.env, inboxId, chat.waId, agentId);
    }
    const phone = urns.find((u) => u.scheme === "whatsapp" || u.scheme === "tel");
    const wire = {
      id: contact.uuid,
      name: contact.name,
      phone: phone ? `+${phone.path.replace(/^\+/, "")}` : null,
      email: urns.find((u) => u.scheme === "mailto")?.path ?? null,
      platform: body.channel,
      client_id: contact.workspaceId,
      ai_customer_id: contact.uuid,
      created_at: new Date(Math.floor(contact.createdOn / 1000)).toISOString(),
      default_stage_id: contact.stageId,
    };
    return c.json(wire, created ? 201 : 200);
  });
