import { and, desc, eq, getTableColumns, gt, inArray, lt, type SQL, sql } from "drizzle-orm";
import { sha256Hex } from "../../services/crypto";
import { type Db, shardOf } from "../client";
import { type DeliveryAttempt, type DeliveryState, deliveries, users, webhooks } from "../schema";
import { chunks } from "./chunks";

export type Webhook = typeof webhooks.$inferSelect;
export type WebhookWithUser = Webhook & { username: string };
export type NewWebhook = Omit<typeof webhooks.$inferInsert, "id" | "createdAt">;

const withUser = { ...getTableColumns(webhooks), username: users.username };

/** An inbox's webhooks, all of them or one user's (`userId`). */
export async function listWebhooks(db: Db, inboxId: string, userId: number | null, limit: number, offset: number) {
  const where = and(eq(webhooks.inboxId, inboxId), userId === null ? undefined : eq(webhooks.userId, userId));
  const [rows, [total]] = await db.batch([
    db
      .select(withUser)
      .from(webhooks)
      .innerJoin(users, eq(users.id, webhooks.userId))
      .where(where)
      .orderBy(webhooks.id)
      .limit(limit)
      .offset(offset),
    db.select({ n: sql<number>`count(*)` }).from(webhooks).where(where),
  ]);
  return { rows: rows as WebhookWithUser[], count: total?.n ?? 0 };
}

export async function getWebhook(db: Db, inboxId: string, id: number, userId: number | null): Promise<WebhookWithUser | undefined> {
  const where = and(eq(webhooks.inboxId, inboxId), eq(webhooks.id, id), userId === null ? undefined : eq(webhooks.userId, userId));
  return db.select(withUser).from(webhooks).innerJoin(users, eq(users.id, webhooks.userId)).where(where).get();
}

/** Inserts a webhook; undefined when the user already has one on this inbox (the unique index). */
export async function insertWebhook(db: Db, values: NewWebhook): Promise<Webhook | undefined> {
  return db.insert(webhooks).values(values).onConflictDoNothing().returning().get();
}

export async function updateWebhook(db: Db, inboxId: string, id: number, values: Partial<NewWebhook>): Promise<void> {
  await webhookStatement(db, inboxId, id, values);
}

export function webhookStatement(db: Db, inboxId: string, id: number, values: Partial<NewWebhook>) {
  return db
    .update(webhooks)
    .set(values)
    .where(and(eq(webhooks.inboxId, inboxId), eq(webhooks.id, id)));
}

export async function deleteWebhook(db: Db, inboxId: string, id: number): Promise<void> {
  await db.delete(webhooks).where(and(eq(webhooks.inboxId, inboxId), eq(webhooks.id, id)));
}

/** The active webhooks of an inbox whose users are active: the receivers of its events. */
export async function activeWebhooks(db: Db, inboxId: string): Promise<Webhook[]> {
  return db
    .select(getTableColumns(webhooks))
    .from(webhooks)
    .innerJoin(users, eq(users.id, webhooks.userId))
    .where(and(eq(webhooks.inboxId, inboxId), eq(webhooks.isActive, true), eq(users.isActive, true)));
}

export type Delivery = typeof deliveries.$inferSelect;
/** A delivery as fan-out makes it; written with its first attempt's outcome (`state`, `attempts`), or pending when queued untried. */
export type NewDelivery = Omit<typeof deliveries.$inferInsert, "attempts" | "state"> & {
  state?: DeliveryState;
  attempts?: DeliveryAttempt[];
};

/** Where a receiver's delivery ids start: a webhook's own, the engine's with its inbox. */
const logPrefix = (inboxId: string, receiver: string) => (receiver.startsWith("webhook:") ? receiver : `${receiver}:${inboxId}`);

/**
 * A delivery's id, `{receiver}.{time}.{hash}`: the receiver, the event's time (8 hex digits
 * of seconds) and 16 hex digits hashed from event and receiver. A receiver's log is then a
 * range of the primary key in time order, with no index to write per delivery, and the
 * same event fanned out again makes the same ids.
 */
export async function deliveryId(inboxId: string, receiver: string, eventId: string, seconds: number): Promise<string> {
  const hash = (await sha256Hex(`${eventId}/${receiver}`)).slice(0, 16);
  return `${logPrefix(inboxId, receiver)}.${seconds.toString(16).padStart(8, "0")}.${hash}`;
}

/** Statements adding deliveries, ignoring any an earlier fan-out of the same events already added (same id). */
export function deliveryInserts(db: Db, rows: NewDelivery[]) {
  return chunks(rows, 8).map((chunk) =>
    db
      .insert(deliveries)
      .values(chunk.map((r) => ({ ...r, state: r.state ?? "pending", attempts: r.attempts ?? [] })))
      .onConflictDoNothing(),
  );
}

/** The states of the deliveries among `ids` that exist (an event fanned out before made them). */
export async function deliveryStates(db: Db, ids: string[]): Promise<Map<string, DeliveryState>> {
  const out = new Map<string, DeliveryState>();
  for (const chunk of chunks(ids)) {
    const found = await db.select({ id: deliveries.id, state: deliveries.state }).from(deliveries).where(inArray(deliveries.id, chunk));
    for (const r of found) out.set(r.id, r.state);
  }
  return out;
}

/** `body` is null when it is larger than `inlineBodyChars`: read it with `deliveryBody` when it is sent. */
export type DeliveryWithReceiver = Omit<Delivery, "body"> & { body: string | null; webhook: Webhook | null };

/** Deliveries by id with their webhook (null for rule-engine calls, or when the webhook is gone). */
export async function deliveriesByIds(db: Db, ids: string[], inlineBodyChars = Number.MAX_SAFE_INTEGER): Promise<DeliveryWithReceiver[]> {
  const { body, ...rest } = getTableColumns(deliveries);
  const inlineBody = sql<string | null>`CASE WHEN length(${body}) <= ${inlineBodyChars} THEN ${body} END`;
  const pages = await Promise.all(
    chunks(ids).map((chunk) =>
      db
        .select({ delivery: { ...rest, body: inlineBody }, webhook: webhooks })
        .from(deliveries)
        .leftJoin(webhooks, eq(webhooks.id, deliveries.webhookId))
        .where(inArray(deliveries.id, chunk)),
    ),
  );
  return pages.flat().map((r) => ({ ...r.delivery, webhook: r.webhook }));
}

export async function deliveryBody(db: Db, id: string): Promise<string | undefined> {
  return (await db.select({ body: deliveries.body }).from(deliveries).where(eq(deliveries.id, id)).get())?.body;
}

/** Logs one attempt and sets the delivery's state (a statement for a D1 batch). */
export function attemptStatement(db: Db, id: string, state: DeliveryState, attempt: DeliveryAttempt) {
  return db
    .update(deliveries)
    .set({ state, attempts: sql`json_insert(${deliveries.attempts}, '$[#]', json(${JSON.stringify(attempt)}))` })
    .where(eq(deliveries.id, id));
}

export async function setDeliveryState(db: Db, id: string, state: DeliveryState): Promise<void> {
  await deliveryStateStatement(db, id, state);
}

export const deliveryStateStatement = (db: Db, id: string, state: DeliveryState) =>
  db.update(deliveries).set({ state }).where(eq(deliveries.id, id));

/** One receiver's deliveries, newest event first. */
export async function listDeliveries(
  db: Db,
  inboxId: string,
  receiver: string,
  state: DeliveryState | undefined,
  limit: number,
  offset: number,
) {
  const prefix = logPrefix(inboxId, receiver);
  const where: SQL | undefined = and(
    gt(deliveries.id, `${prefix}.`),
    lt(deliveries.id, `${prefix}/`),
    eq(deliveries.inboxId, inboxId),
    eq(deliveries.receiver, receiver),
    state ? eq(deliveries.state, state) : undefined,
  );
  const [rows, [total]] = await db.batch([
    db
      .select({
        id: deliveries.id,
        eventId: deliveries.eventId,
        eventType: deliveries.eventType,
        state: deliveries.state,
        attempts: deliveries.attempts,
        createdAt: deliveries.createdAt,
      })
      .from(deliveries)
      .where(where)
      .orderBy(desc(deliveries.id))
      .limit(limit)
      .offset(offset),
    db.select({ n: sql<number>`count(*)` }).from(deliveries).where(where),
  ]);
  return { rows, count: total?.n ?? 0 };
}

export async function getDelivery(db: Db, inboxId: string, receiver: string, id: string): Promise<Delivery | undefined> {
  return db
    .select()
    .from(deliveries)
    .where(and(eq(deliveries.inboxId, inboxId), eq(deliveries.receiver, receiver), eq(deliveries.id, id)))
    .get();
}

/** The raw status objects WhatsApp sent (the first of each key) for these messages, by `${wamid} ${status}`. */
export async function statusPayloads(db: Db, inboxId: string, wamids: string[]): Promise<Map<string, unknown>> {
  const shard = await shardOf(db, inboxId);
  const pages = await Promise.all(
    chunks([...new Set(wamids)]).map((chunk) =>
      shard.all<{ wamid: string; status: string; payload: string }>(
        sql`SELECT wamid, status, payload FROM status_payloads WHERE inbox_id = ${inboxId} AND wamid IN (${sql.join(
          chunk.map((w) => sql`${w}`),
          sql`, `,
        )})`,
      ),
    ),
  );
  return new Map(pages.flat().map((r) => [`${r.wamid} ${r.status}`, JSON.parse(r.payload)]));
}

/** These users' received marks on these chats, by `${userId}:${waId}`. */
export async function receivedMarksOf(db: Db, inboxId: string, waIds: string[], userIds: number[]): Promise<Map<string, number>> {
  const shard = await shardOf(db, inboxId);
  const out = new Map<string, number>();
  if (!waIds.length || !userIds.length) return out;
  for (const users of chunks([...new Set(userIds)], 40))
    for (const chunk of chunks([...new Set(waIds)], 50)) {
      const rows = await shard.all<{ user_id: number; wa_id: string; timestamp: number }>(
        sql`SELECT user_id, wa_id, timestamp FROM received_marks WHERE inbox_id = ${inboxId}
        AND wa_id IN (${sql.join(
          chunk.map((w) => sql`${w}`),
          sql`, `,
        )}) AND user_id IN (${sql.join(
          users.map((id) => sql`${id}`),
          sql`, `,
        )})`,
      );
      for (const r of rows) out.set(`${r.user_id}:${r.wa_id}`, r.timestamp);
    }
  return out;
}
