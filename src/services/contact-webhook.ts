import type { Db } from "../db/client";
import { getInbox, type Inbox, numbersOf } from "../db/queries/inboxes";
import { activeUserByEmail, type ContactRow, chatsOf, hasChat } from "../db/queries/workspace-contacts";
import type { EnhancedItem, TemplateRef } from "../db/schema";
import { DomainError, fieldErrors, notFound } from "../errors";
import { inboxObject } from "../inbox/stub";
import { toWaId } from "./phone-numbers";
import { sendMessage } from "./send";
import { assertTemplateSendable } from "./templates";
import {
  contactByPhone,
  contactObject,
  hardDeleteContact,
  linkedWaIds,
  type PhoneUpsert,
  phoneKey,
  upsertByPhone,
} from "./workspace-contacts";

/**
 * The Polser contact webhook's four operations (seed 000), for the workspace of the URL's
 * API key. Each is validated whole before anything is written; only the outbound side
 * effects (an invitation, a flow's template) come after the commit.
 */

export type WebhookContact = { phone: string; name?: string; labels?: string[]; enhanced_data?: Record<string, EnhancedItem[] | null> };

const toUpsert = (contact: WebhookContact, overrideLabels: boolean): PhoneUpsert => ({
  name: contact.name,
  labels: contact.labels,
  overrideLabels,
  enhancedData: contact.enhanced_data,
});

/** One of the workspace's WhatsApp inboxes, by its number in any formatting; else a 400 naming `path`. */
async function inboxByNumber(db: Db, workspaceId: string, phone: string, path: string[]): Promise<Inbox> {
  const digits = toWaId(phone);
  const match = (await numbersOf(db, workspaceId)).find((n) => n.phoneNumber !== null && digits !== "" && toWaId(n.phoneNumber) === digits);
  const inbox = match ? await getInbox(db, workspaceId, match.id) : undefined;
  if (!inbox || inbox.provider === "webchat") throw fieldErrors(nested(path, ["No WhatsApp number of this workspace is this number."]));
  return inbox;
}

/** The inbox invitations go out from: `source_phone`'s, else the workspace's first WhatsApp inbox. */
async function inviteInbox(db: Db, workspaceId: string, sourcePhone: string | undefined): Promise<Inbox | undefined> {
  if (sourcePhone !== undefined) return inboxByNumber(db, workspaceId, sourcePhone, ["source_phone"]);
  for (const n of await numbersOf(db, workspaceId)) {
    const inbox = await getInbox(db, workspaceId, n.id);
    if (inbox && inbox.provider !== "webchat") return inbox;
  }
  return undefined;
}

/** The chat of an inbox linked to a contact (or, without one, to the number). */
export async function chatWith(db: Db, workspaceId: string, inboxId: string, contact: ContactRow | undefined, digits: string) {
  const waIds = await linkedWaIds(db, contact, digits);
  const chats = (await chatsOf(db, workspaceId, waIds)).filter((c) => c.inboxId === inboxId);
  return waIds.map((w) => chats.find((c) => c.waId === w)).find((c) => c !== undefined);
}

/** Assigns a chat to a user as an admin would (overriding any assignee), recorded and notified like every assignment. */
export async function assignAsAdmin(env: Env, inboxId: string, waId: string, userId: number) {
  const outcome = await inboxObject(env, inboxId).assignment(inboxId, waId, { user: userId }, { id: null, isAdmin: true, groupIds: [] });
  if (!outcome.ok) throw notFound();
  return outcome.assignment;
}

/** Sends a template as the system, stored as the chat's outgoing message; a provider refusal is a 502 that also carries the saved contact. */
async function sendTemplate(env: Env, db: Db, inbox: Inbox, waId: string, template: TemplateRef, contact: ContactRow) {
  try {
    await sendMessage(env, db, inbox, null, {
      wa_id: waId,
      type: "template",
      context: undefined,
      content: {
        name: template.name,
        language: { code: template.language },
        ...(template.components ? { components: template.components } : {}),
      },
    });
  } catch (e) {
    if (e instanceof DomainError && e.kind === "upstream_failed") {
      throw new DomainError("upstream_failed", { ...e.body, contact: await contactObject(db, contact) });
    }
    throw e;
  }
}

export async function upsertOperation(
  env: Env,
  db: Db,
  workspaceId: string,
  body: { contact: WebhookContact; overrideLabels?: boolean; inviteNewContacts?: boolean; source_phone?: string },
) {
  const digits = phoneKey(body.contact.phone, ["contact", "phone"]);
  let invite: { inbox: Inbox; template: TemplateRef } | null = null;
  if (body.inviteNewContacts) {
    const isNew = !(await contactByPhone(db, workspaceId, digits)) && !(await hasChat(db, workspaceId, [digits]));
    const inbox = await inviteInbox(db, workspaceId, body.source_phone);
    if (isNew) {
      if (!inbox?.inviteTemplate)
        throw fieldErrors({ inviteNewContacts: ["No invitation template is configured for this number (the inbox's invite_template)."] });
      await assertTemplateSendable(db, inbox, "inviteNewContacts", inbox.inviteTemplate.name, inbox.inviteTemplate.language);
      invite = { inbox, template: inbox.inviteTemplate };
    }
  }
  const { contact, created } = await upsertByPhone(db, workspaceId, digits, toUpsert(body.contact, body.overrideLabels ?? false));
  // Only a contact this call created is invited: a repeated call sends nothing.
  const invited = !!invite && created;
  if (invite && created) await sendTemplate(env, db, invite.inbox, digits, invite.template, contact);
  return { operation: "upsert_contact" as const, created, invited, contact: await contactObject(db, contact) };
}

export async function assignOperation(
  env: Env,
  db: Db,
  workspaceId: string,
  body: { contact: WebhookContact; source_phone: string; assignee: string },
) {
  const digits = phoneKey(body.contact.phone, ["contact", "phone"]);
  const inbox = await inboxByNumber(db, workspaceId, body.source_phone, ["source_phone"]);
  const user = await activeUserByEmail(db, workspaceId, body.assignee);
  if (!user) throw fieldErrors({ assignee: ["No active user of this workspace has this e-mail address."] });
  const chat = await chatWith(db, workspaceId, inbox.id, await contactByPhone(db, workspaceId, digits), digits);
  if (!chat) throw new DomainError("not_found", { detail: `No conversation between ${body.contact.phone} and ${body.source_phone}.` });
  const { contact } = await upsertByPhone(db, workspaceId, digits, toUpsert(body.contact, false));
  const outcome = await assignAsAdmin(env, inbox.id, chat.waId, user.id);
  return {
    operation: "assign_conversation" as const,
    contact: await contactObject(db, contact),
    chat: { inbox_id: inbox.id, wa_id: chat.waId, assigned_to_user: outcome.user, assigned_group: outcome.group },
  };
}

/**
 * The hard delete: the contact (no tombstone) and every chat of the workspace linked to the
 * number, each purged by its inbox's object, which orders the purge with arriving messages.
 */
export async function deleteOperation(env: Env, db: Db, workspaceId: string, phone: string) {
  const digits = phoneKey(phone, ["delete_contact"]);
  const contact = await contactByPhone(db, workspaceId, digits);
  const chats = await chatsOf(db, workspaceId, await linkedWaIds(db, contact, digits));
  if (!contact && !chats.length) throw new DomainError("not_found", { detail: `Nothing is known for ${phone}.` });
  let messages = 0;
  let purged = 0;
  for (const chat of chats) {
    const result = await inboxObject(env, chat.inboxId).purgeChat(chat.inboxId, chat.waId);
    if (!result) continue;
    // A chat that received messages during its purge is kept whole around them (not counted as deleted).
    if (!result.kept) purged++;
    messages += result.messages;
  }
  // The contact goes once its chats have: a message landing during the purge links to it (or,
  // with none left, creates one), so it is looked up again and no contact outlives the delete.
  const linked = await contactByPhone(db, workspaceId, digits);
  if (linked) await hardDeleteContact(db, linked);
  return { operation: "delete_contact" as const, deleted: { contacts: linked ? 1 : 0, chats: purged, messages } };
}

export async function flowOperation(
  env: Env,
  db: Db,
  workspaceId: string,
  flow: { source_phone: string; phone: string; name: string; flow_name: string },
) {
  const digits = phoneKey(flow.phone, ["flow_data", "phone"]);
  const inbox = await inboxByNumber(db, workspaceId, flow.source_phone, ["flow_data", "source_phone"]);
  const template = Object.hasOwn(inbox.flowTemplates, flow.flow_name) ? inbox.flowTemplates[flow.flow_name] : undefined;
  if (!template)
    throw fieldErrors({
      flow_data: { flow_name: [`No flow "${flow.flow_name}" is configured for this number (the inbox's flow_templates).`] },
    });
  await assertTemplateSendable(db, inbox, "flow_data", template.name, template.language);
  const { contact, created } = await upsertByPhone(db, workspaceId, digits, { name: flow.name, overrideLabels: false });
  const flowToken = crypto.randomUUID();
  const components = template.components ?? [
    { type: "button", sub_type: "flow", index: "0", parameters: [{ type: "action", action: { flow_token: flowToken } }] },
  ];
  await sendTemplate(env, db, inbox, digits, { ...template, components }, contact);
  return {
    operation: "trigger_flow" as const,
    created,
    flow_token: template.components ? null : flowToken,
    contact: await contactObject(db, contact),
  };
}

function nested(path: string[], messages: string[]): Record<string, unknown> {
  return path.reduceRight<unknown>((inner, key) => ({ [key]: inner }), messages) as Record<string, unknown>;
}
