import type { z } from "@hono/zod-openapi";
import type { Db } from "../db/client";
import { getChatState } from "../db/queries/chats";
import type { Inbox } from "../db/queries/inboxes";
import type { User } from "../db/queries/users";
import { forbidden, upstreamFailed } from "../errors";
import { searchableText } from "../inbound/search-text";
import { inboxObject } from "../inbox/stub";
import { ProviderError, providerFor } from "../providers/provider";
import { type SendMessageBody, TEMPLATE_TYPES, TYPED_FIELDS } from "../routes/messages/send-schemas";
import { chatScope, userGroupIds } from "./chat-scope";
import { assertWindowOpen } from "./customer-window";
import { mediaObject } from "./inbound";
import { inboxSecrets } from "./inboxes";
import { toProviderMedia } from "./outbound-media";
import { canAccessChat, chatAccess } from "./permissions";
import { toWaId } from "./phone-numbers";
import { indexText } from "./search";
import { assertTemplateSendable } from "./templates";

/** The template a `template` or legacy `hsm` message names, with its language. */
function templateOf(body: z.infer<typeof SendMessageBody>): { name: string; language: string } | null {
  if (body.type === "template") {
    const t = TYPED_FIELDS.template.safeParse(body.content);
    return t.success ? { name: t.data.name, language: t.data.language.code } : null;
  }
  if (body.type === "hsm") {
    const h = TYPED_FIELDS.hsm.safeParse(body.content);
    return h.success ? { name: h.data.element_name, language: h.data.language.code } : null;
  }
  return null;
}

/**
 * Sends one message as `user`: write permission on the chat, the 24-hour window
 * (templates excepted), the inbox's provider, then the record through the inbox object.
 * Plain values only, so the rule engine and bots inside the Worker send the same way;
 * `user` null is the system (the contact webhook's invitations and flows: no chat
 * permission applies and no user is the sender). Returns the provider's answer.
 */
export async function sendMessage(
  env: Env,
  db: Db,
  inbox: Inbox,
  user: User | null,
  body: z.infer<typeof SendMessageBody>,
): Promise<Record<string, unknown>> {
  const waId = toWaId(body.wa_id);
  const chat = await getChatState(db, inbox.id, waId);
  const groupIds = user ? await userGroupIds(db, user.id) : [];
  const assignment = { assignedToUser: chat?.assigned_to_user ?? null, assignedGroup: chat?.assigned_group ?? null };
  if (user && !canAccessChat(chatAccess(user, groupIds, "write"), assignment)) throw forbidden("You may not write to this chat.");
  const now = Math.floor(Date.now() / 1000);
  if (!TEMPLATE_TYPES.includes(body.type)) assertWindowOpen(chat?.last_customer_message_timestamp, now);
  const template = templateOf(body);
  if (template) await assertTemplateSendable(db, inbox, body.type, template.name, template.language);

  const message: Record<string, unknown> = { recipient_type: "individual", to: waId, type: body.type, [body.type]: body.content };
  if (body.context) message.context = body.context;
  let sent: Awaited<ReturnType<ReturnType<typeof providerFor>["sendMessage"]>>;
  try {
    const provider = providerFor({ ...inbox, secrets: await inboxSecrets(env, inbox) });
    const content = user
      ? await toProviderMedia(env, db, await chatScope(db, { inboxId: inbox.id, user, groupIds }), provider, body.content)
      : body.content;
    sent = await provider.sendMessage({ ...message, [body.type]: content });
  } catch (e) {
    if (!(e instanceof ProviderError)) throw e;
    throw upstreamFailed("The WhatsApp provider did not accept the message.", e.body);
  }

  const payload = { ...message, id: sent.id, timestamp: String(now) };
  const stub = inboxObject(env, inbox.id);
  const record = {
    wamid: sent.id,
    waId,
    fromUs: true,
    timestamp: now,
    type: body.type,
    payload: JSON.stringify(payload),
    senderUserId: user?.id ?? null,
    contextWamid: body.context?.message_id ?? null,
    mediaId: mediaObject(body.type, payload)?.id ?? null,
    searchText: indexText(inbox.id, searchableText(payload)),
    contact: null,
    profileName: null,
  };
  // The message went out: from here on, answering an error would make the client send it
  // again. The inbox object claims the record into its outbox before writing D1, so once a
  // call reached it the alarm completes the record; one retry covers a call that did not.
  for (let attempt = 1; attempt <= 2; attempt++) {
    try {
      await stub.ingest(inbox.id, [record], []);
      break;
    } catch (e) {
      console.error(JSON.stringify({ level: "error", inbox: inbox.id, wamid: sent.id, attempt, error: String(e) }));
    }
  }
  // The sandbox's statuses are held until the record lands, so they are scheduled either way.
  if (inbox.provider === "sandbox") await stub.simulateDelivery(inbox.id, sent.id, now).catch(() => {});
  return sent.response;
}
