import { createDb, type Db } from "../db/client";
import { getChatState } from "../db/queries/chats";
import type { Inbox } from "../db/queries/inboxes";
import { getRuleEngine, ruleFor } from "../db/queries/rules";
import { getUsersByIds, groupsOfUsers } from "../db/queries/users";
import { activeWebhooks, addDeliveries, type NewDelivery, receivedMarksOf, type Webhook } from "../db/queries/webhooks";
import type { RuleTarget } from "../inbox/inbox-object";
import { inboxObject } from "../inbox/stub";
import { type EventJob, enqueueDeliveries } from "../queues/jobs";
import { inboxById } from "../services/inbox-cache";
import { publicBaseUrl } from "../services/inboxes";
import { chatAccess } from "../services/permissions";
import { enginePayload, loadFacts, type Receiver, webhookPayload } from "./payloads";

export const ENGINE_RECEIVER = "engine";
export const webhookReceiver = (id: number) => `webhook:${id}`;

/**
 * Turns one event of an inbox's stream into deliveries: a body per webhook whose user
 * may read it (built once, kept with the delivery, so every retry sends the same bytes)
 * and one for a custom rule engine, each queued as its own job. With the default
 * engine, its rules are applied here. A replayed event adds no delivery twice (the
 * `(event, receiver)` index) and queues the ones still pending again.
 */
export async function fanOut(env: Env, job: EventJob): Promise<void> {
  const db = createDb(env.DB);
  const inbox = await inboxById(db, job.inboxId);
  if (!inbox) return; // deleted with everything it had
  const [hooks, engine] = await Promise.all([activeWebhooks(db, inbox.id), getRuleEngine(db, inbox.id)]);
  const custom = engine?.mode === "custom" && engine.url ? engine : undefined;
  if (hooks.length || custom) await deliver(env, db, inbox, job, hooks, custom !== undefined);
  if (!custom) await applyDefaultRules(env, db, inbox.id, job);
}

async function deliver(env: Env, db: Db, inbox: Inbox, job: EventJob, hooks: Webhook[], toEngine: boolean): Promise<void> {
  const facts = await loadFacts(db, inbox, publicBaseUrl(env, inbox), job);
  if (!facts) return; // what it refers to is gone (a deleted chat or tag)

  const rows: NewDelivery[] = [];
  const now = Math.floor(Date.now() / 1000);
  const row = (receiver: string, webhookId: number | null, body: unknown, mark: { waId: string; timestamp: number } | null) => ({
    id: crypto.randomUUID(),
    inboxId: inbox.id,
    webhookId,
    receiver,
    eventId: job.id,
    eventType: job.event,
    body: JSON.stringify(body),
    markWaId: mark?.waId ?? null,
    markTimestamp: mark?.timestamp ?? null,
    createdAt: now,
  });
  if (hooks.length) {
    const receivers = await receiversOf(db, inbox, hooks);
    const marks = await receivedMarksOf(
      db,
      inbox.id,
      facts.waId,
      receivers.map((r) => r.user.id),
    );
    const built = await Promise.all(receivers.map((r) => webhookPayload(db, facts, r, marks.get(r.user.id) ?? null)));
    receivers.forEach((r, i) => {
      const b = built[i];
      if (b) rows.push(row(webhookReceiver(r.webhookId), r.webhookId, b.body, b.mark));
    });
  }
  if (toEngine) {
    const body = await enginePayload(db, facts);
    if (body) rows.push(row(ENGINE_RECEIVER, null, body, null));
  }
  const pending = await addDeliveries(db, rows, [job.id]);
  await enqueueDeliveries(env, pending);
}

async function receiversOf(db: Db, inbox: Inbox, hooks: Webhook[]) {
  const ids = hooks.map((h) => h.userId);
  const [users, groups] = await Promise.all([getUsersByIds(db, inbox.workspaceId, ids), groupsOfUsers(db, ids)]);
  const byId = new Map(users.map((u) => [u.id, u]));
  return hooks.flatMap((h): (Receiver & { webhookId: number })[] => {
    const user = byId.get(h.userId);
    if (!user) return [];
    const groupIds = groups.get(user.id)?.map((g) => g.id) ?? [];
    return [
      {
        webhookId: h.id,
        user,
        groupIds,
        access: chatAccess(user, groupIds, "read"),
        onIncoming: h.onIncomingMessage,
        onOutgoing: h.onOutgoingMessage,
        onAssigned: h.onAssigned,
      },
    ];
  });
}

/**
 * The default engine: a fresh incoming message in a chat nobody is assigned to follows
 * the rule without a tag; a tag added to a chat or message follows that tag's rule.
 * Applied by the inbox object as the system, so it is one more event of the stream.
 */
async function applyDefaultRules(env: Env, db: Db, inboxId: string, job: EventJob): Promise<void> {
  const tagging = job.event === "chat_tagging" || job.event === "message_tagging";
  if (job.event !== "message.in" && !(tagging && job.refs.action === "added")) return;
  const waId = job.refs.wa_id;
  const tagId = tagging ? job.refs.tag_id : null;
  if (typeof waId !== "string" || (tagging && typeof tagId !== "number")) return;
  const rule = await ruleFor(db, inboxId, tagId as number | null);
  if (!rule) return;
  if (job.event === "message.in") {
    const chat = await getChatState(db, inboxId, waId);
    if (!chat || chat.assigned_to_user !== null || chat.assigned_group !== null) return;
  }
  const target: RuleTarget | null =
    rule.assignToUser !== null
      ? { user: rule.assignToUser }
      : rule.assignToGroup !== null
        ? { group: rule.assignToGroup, method: rule.groupAssignMethod ?? "let_group_decide" }
        : null;
  if (target) await inboxObject(env, inboxId).ruleAssignment(inboxId, waId, target);
}
