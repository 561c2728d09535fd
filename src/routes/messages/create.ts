import { createRoute, z } from "@hono/zod-openapi";
import { getChatState } from "../../db/queries/reading";
import { ApiError, forbidden } from "../../errors";
import { bodyDoc, readBody } from "../../http/body";
import { type App, errorResponses, json } from "../../http/openapi";
import { searchableText } from "../../inbound/search-text";
import { inboxObject } from "../../inbox/stub";
import { requireUser } from "../../middleware/auth";
import { ProviderError, providerFor } from "../../providers/provider";
import { chatScope, userGroupIds } from "../../services/chat-scope";
import { assertWindowOpen } from "../../services/customer-window";
import { mediaObject } from "../../services/inbound";
import { inboxSecrets } from "../../services/inboxes";
import { toProviderMedia } from "../../services/outbound-media";
import { canAccessChat, chatAccess } from "../../services/permissions";
import { toWaId } from "../../services/phone-numbers";
import { indexText } from "../../services/search";
import { SendMessageBody, TEMPLATE_TYPES } from "./send-schemas";

const route = createRoute({
  method: "post",
  path: "/messages/",
  tags: ["Messages"],
  summary: "Send a message",
  description:
    "Sends through the inbox's provider and stores the message. Needs write permission on the chat (by default: admins everywhere, others where assigned). Outside the 24-hour customer-service window only `template`/`hsm` go out. Upstream errors answer 502 with the provider's error; nothing is then recorded.",
  request: { body: bodyDoc(SendMessageBody) },
  responses: {
    201: json(z.object({ waba_response: z.record(z.string(), z.unknown()) }), "The provider's answer."),
    502: json(z.record(z.string(), z.unknown()), "The provider refused or could not be reached."),
    ...errorResponses,
  },
});

export const registerCreateMessage = (app: App) =>
  app.openapi(route, async (c) => {
    const user = requireUser(c);
    const body = await readBody(c, SendMessageBody);
    const db = c.get("db");
    const inbox = c.get("inbox");
    const waId = toWaId(body.wa_id);
    const chat = await getChatState(db, inbox.id, waId);
    const groupIds = await userGroupIds(db, user.id);
    const assignment = { assignedToUser: chat?.assigned_to_user ?? null, assignedGroup: chat?.assigned_group ?? null };
    if (!canAccessChat(chatAccess(user, groupIds, "write"), assignment)) throw forbidden("You may not write to this chat.");
    const now = Math.floor(Date.now() / 1000);
    if (!TEMPLATE_TYPES.includes(body.type)) assertWindowOpen(chat?.last_customer_message_timestamp, now);

    const message: Record<string, unknown> = { recipient_type: "individual", to: waId, type: body.type, [body.type]: body.content };
    if (body.context) message.context = body.context;
    let sent: Awaited<ReturnType<ReturnType<typeof providerFor>["sendMessage"]>>;
    try {
      const provider = providerFor({ ...inbox, secrets: await inboxSecrets(c.env, inbox) });
      const content = await toProviderMedia(c.env, db, await chatScope(c, user, {}, groupIds), provider, body.content);
      sent = await provider.sendMessage({ ...message, [body.type]: content });
    } catch (e) {
      if (!(e instanceof ProviderError)) throw e;
      throw new ApiError(502, { detail: "The WhatsApp provider did not accept the message.", waba_response: e.body });
    }

    const payload = { ...message, id: sent.id, timestamp: String(now) };
    const stub = inboxObject(c.env, inbox.id);
    const record = {
      wamid: sent.id,
      waId,
      fromUs: true,
      timestamp: now,
      type: body.type,
      payload: JSON.stringify(payload),
      senderUserId: user.id,
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
    return c.json({ waba_response: sent.response }, 201);
  });
