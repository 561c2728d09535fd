import { createDb, type Db } from "../db/client";
import { getChatState } from "../db/queries/chats";
import type { Inbox } from "../db/queries/inboxes";
import { getRuleEngine, type Rule, rulesByTrigger } from "../db/queries/rules";
import { getUsersByIds, groupsOfUsers } from "../db/queries/users";
import { activeWebhooks, deliveryId, deliveryStates, type NewDelivery, receivedMarksOf, type Webhook } from "../db/queries/webhooks";
import type { RuleTarget } from "../inbox/inbox-object";
import { inboxObject } from "../inbox/stub";
import { type EventJob, enqueueDeliveries } from "../queues/jobs";
import { inboxById } from "../services/inbox-cache";
import { publicBaseUrl } from "../services/inboxes";
import { chatAccess } from "../services/permissions";
import { deliverFirst, type QueueMessage } from "./deliver";
import { type EventFacts, enginePayload, loadFactsBatch, type Receiver, webhookPayload } from "./payloads";

export const ENGINE_RECEIVER = "engine";
export const webhookReceiver = (id: number) => `webhook:${id}`;

type Item = { message: QueueMessage; job: EventJob };

/**
 * Turns events of inboxes' streams into deliveries: a body per webhook whose user may
 * read the event (built once, kept with the delivery, so every retry sends the same
 * bytes) and one for a custom rule engine, each tried once here and queued only to be
 * tried again. With the default engine, its rules are applied beside, in stream order.
 * Per inbox, the receivers are loaded once per batch and the deliveries written in one
 * D1 batch. Events come several to a queue message, which is acked or retried whole.
 */
export async function fanOutBatch(env: Env, items: Item[], retryDelay: (attempts: number) => number): Promise<void> {
  const db = createDb(env);
  const byInbox = Map.groupBy(items, (i) => i.job.inboxId);
  await Promise.all(
    [...byInbox].map(async ([inboxId, batch]) => {
      const failed = new Set<Item>();
      const fail = (item: Item, error: unknown) => {
        failed.add(item);
        console.warn(JSON.stringify({ level: "warn", queue: "webhooks", event: item.job.id, error: String(error) }));
      };
      try {
        await fanOutInbox(env, db, inboxId, batch, fail);
      } catch (error) {
        for (const item of batch) fail(item, error);
      }
      // A queue message carries several events: it is retried whole if any of them failed (a replay adds no delivery twice).
      const outcome = new Map<QueueMessage, boolean>();
      for (const item of batch) outcome.set(item.message, (outcome.get(item.message) ?? false) || failed.has(item));
      for (const [message, retry] of outcome) {
        if (retry) message.retry({ delaySeconds: retryDelay(message.attempts) });
        else message.ack();
      }
    }),
  );
}

async function fanOutInbox(env: Env, db: Db, inboxId: string, batch: Item[], fail: (item: Item, error: unknown) => void): Promise<void> {
  const inbox = await inboxById(db, inboxId);
  if (!inbox) return; // deleted with everything it had
  const [hooks, engine] = await Promise.all([activeWebhooks(db, inbox.id), getRuleEngine(db, inbox.id)]);
  const custom = engine?.mode === "custom" && !!engine.url;
  // The default engine's rules do not wait for the subscribers' answers.
  await Promise.all([
    hooks.length || custom ? deliveries(env, db, inbox, hooks, batch, custom, fail) : null,
    custom ? null : rules(env, db, inbox.id, batch, fail),
  ]);
}

/**
 * A batch's deliveries: built per event and receiver, tried once at once (`deliverFirst`)
 * and written with that outcome. An event that comes again adds no delivery twice: the
 * ones written before are left to their own jobs, and those still pending queued again.
 */
async function deliveries(
  env: Env,
  db: Db,
  inbox: Inbox,
  hooks: Webhook[],
  batch: Item[],
  custom: boolean,
  fail: (item: Item, error: unknown) => void,
): Promise<void> {
  const receivers = hooks.length ? await receiversOf(db, inbox, hooks) : [];
  const facts = await loadFactsBatch(
    db,
    inbox,
    publicBaseUrl(env, inbox),
    batch.map((i) => i.job),
  );
  const marks = await receivedMarksOf(
    db,
    inbox.id,
    [...facts.values()].map((f) => f.waId),
    receivers.map((r) => r.userId),
  );
  const rows: NewDelivery[] = [];
  await Promise.all(
    batch.map(async (item) => {
      const f = facts.get(item.job.id);
      try {
        if (f) rows.push(...(await deliveriesOf(db, f, receivers, marks, custom)));
      } catch (error) {
        fail(item, error);
      }
    }),
  );
  // An event can come again (a replayed batch, or a message event sent again after a restart): what it already has is not sent twice.
  const made = await deliveryStates(
    db,
    rows.map((r) => r.id),
  );
  const fresh = rows.filter((r) => !made.has(r.id));
  const pending = [...made].filter(([, state]) => state === "pending").map(([id]) => id);
  await Promise.all([
    deliverFirst(env, db, fresh, new Map(hooks.map((h) => [h.id, h]))),
    pending.length ? enqueueDeliveries(env, pending) : null,
  ]);
}

/** The default engine's rules, applied in stream order. */
async function rules(env: Env, db: Db, inboxId: string, batch: Item[], fail: (item: Item, error: unknown) => void): Promise<void> {
  const rules = await rulesByTrigger(db, inboxId);
  if (!rules.size) return;
  for (const item of [...batch].sort((a, b) => a.job.seq - b.job.seq)) {
    try {
      await applyDefaultRules(env, db, inboxId, item.job, rules);
    } catch (error) {
      fail(item, error);
    }
  }
}

/** One event's deliveries: a row per receiver that gets a body. */
async function deliveriesOf(
  db: Db,
  facts: EventFacts,
  receivers: (Receiver & { webhookId: number })[],
  marks: Map<string, number>,
  toEngine: boolean,
): Promise<NewDelivery[]> {
  const { job, inbox } = facts;
  const now = Math.floor(Date.now() / 1000);
  // A message's event is made again for a redelivery (at a new `at`): its time is the message's.
  const time = job.event.startsWith("message.") && facts.message ? facts.message.timestamp : Math.floor(job.at / 1000);
  const row = async (receiver: string, webhookId: number | null, body: unknown, mark: { waId: string; timestamp: number } | null) => ({
    id: await deliveryId(inbox.id, receiver, job.id, time),
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
  const built = await Promise.all(receivers.map((r) => webhookPayload(db, facts, r, marks.get(`${r.userId}:${facts.waId}`) ?? null)));
  const rows = receivers.flatMap((r, i) => {
    const b = built[i];
    return b ? [row(webhookReceiver(r.webhookId), r.webhookId, b.body, b.mark)] : [];
  });
  if (toEngine) {
    const body = await enginePayload(db, facts);
    if (body) rows.push(row(ENGINE_RECEIVER, null, body, null));
  }
  return Promise.all(rows);
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
        userId: user.id,
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
async function applyDefaultRules(env: Env, db: Db, inboxId: string, job: EventJob, rules: Map<number, Rule>): Promise<void> {
  const tagging = job.event === "chat_tagging" || job.event === "message_tagging";
  if (job.event !== "message.in" && !(tagging && job.refs.action === "added")) return;
  const waId = job.refs.wa_id;
  const tagId = tagging ? job.refs.tag_id : null;
  if (typeof waId !== "string" || (tagging && typeof tagId !== "number")) return;
  const rule = rules.get(tagging ? (tagId as number) : 0);
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
