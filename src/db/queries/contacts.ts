import { and, asc, eq, gte, inArray, type SQL, sql } from "drizzle-orm";
import { CHECK_STATUSES } from "../../providers/contact-check";
import type { Db } from "../client";
import { contactProviders, numberChecks } from "../schema";
import { type ChatScope, chatCondition, contactMatch, pageClause } from "./chat-scope";
import { chunks } from "./chunks";
import { workspaceShards } from "./inboxes";

export type ContactProviderRow = typeof contactProviders.$inferSelect;
export type NewContactProvider = Omit<typeof contactProviders.$inferInsert, "id" | "createdAt">;

/** An inbox's contact providers in the order they were added (the order their results are listed in). */
export async function listContactProviders(db: Db, inboxId: string): Promise<ContactProviderRow[]> {
  return db.select().from(contactProviders).where(eq(contactProviders.inboxId, inboxId)).orderBy(asc(contactProviders.id));
}

export async function pageContactProviders(db: Db, inboxId: string, limit: number, offset: number) {
  const where = eq(contactProviders.inboxId, inboxId);
  const [rows, [total]] = await db.batch([
    db.select().from(contactProviders).where(where).orderBy(asc(contactProviders.id)).limit(limit).offset(offset),
    db.select({ n: sql<number>`count(*)` }).from(contactProviders).where(where),
  ]);
  return { rows, count: total?.n ?? 0 };
}

export async function getContactProvider(db: Db, inboxId: string, id: number): Promise<ContactProviderRow | undefined> {
  return db
    .select()
    .from(contactProviders)
    .where(and(eq(contactProviders.inboxId, inboxId), eq(contactProviders.id, id)))
    .get();
}

export async function insertContactProvider(db: Db, values: NewContactProvider): Promise<ContactProviderRow> {
  const row = await db.insert(contactProviders).values(values).returning().get();
  if (!row) throw new Error("contact provider insert returned nothing");
  return row;
}

export async function updateContactProvider(
  db: Db,
  inboxId: string,
  id: number,
  values: Partial<Pick<NewContactProvider, "type" | "name" | "config" | "secrets">>,
): Promise<ContactProviderRow | undefined> {
  return db
    .update(contactProviders)
    .set(values)
    .where(and(eq(contactProviders.inboxId, inboxId), eq(contactProviders.id, id)))
    .returning()
    .get();
}

export async function deleteContactProvider(db: Db, inboxId: string, id: number): Promise<void> {
  await db.delete(contactProviders).where(and(eq(contactProviders.inboxId, inboxId), eq(contactProviders.id, id)));
}

/** A customer as the workspace's own book lists them: one entry per WhatsApp id, whichever inboxes they wrote to. */
export type WorkspacePerson = { wa_id: string; profile_name: string | null };

/**
 * The chats of these inboxes that `s` may read. Read permission belongs to the user, not
 * to an inbox, so the one filter builder (`chatCondition`) is applied per inbox: a few
 * bound parameters per inbox, well under D1's 100 for a workspace's handful of inboxes.
 * `waId` narrows to one customer.
 */
function readableIn(inboxIds: string[], s: ChatScope): SQL {
  const perInbox = inboxIds.map((inboxId) => sql`(${chatCondition({ inboxId, userId: s.userId, access: s.access, waId: s.waId })})`);
  const where = [sql`(${sql.join(perInbox, sql` OR `)})`];
  const contact = contactMatch(s, sql.raw("c"));
  if (contact) where.push(contact);
  return sql.join(where, sql` AND `);
}

/**
 * Persons of the workspace's chats the scope may read, most recent first; `s.nameContains`
 * and `s.numberContains` search names and numbers. With max() as the only aggregate,
 * SQLite takes the bare `profile_name` from the customer's most recent chat. A workspace
 * whose inboxes sit on several shards (placement keeps them together while it can) is read
 * shard by shard and merged.
 */
export async function listWorkspacePersons(
  db: Db,
  workspaceId: string,
  s: ChatScope,
  limit: number,
  offset: number,
): Promise<{ rows: WorkspacePerson[]; count: number }> {
  const shards = await workspaceShards(db, workspaceId);
  const spread = shards.length > 1;
  const pages = await Promise.all(
    shards.map(async ({ shard, inboxIds }) => {
      const where = readableIn(inboxIds, s);
      const page = spread ? pageClause(limit + offset, 0) : pageClause(limit, offset);
      const [rows, ids, total] = await Promise.all([
        shard.all<WorkspacePerson & { ts: number }>(sql`SELECT c.wa_id AS wa_id, c.profile_name AS profile_name,
          max(coalesce(c.last_message_timestamp, 0)) AS ts FROM chats c WHERE ${where} GROUP BY c.wa_id ORDER BY ts DESC, c.wa_id ${page}`),
        // Over several shards a customer may have chats on more than one: the count is of distinct numbers.
        spread ? shard.all<{ wa_id: string }>(sql`SELECT DISTINCT c.wa_id FROM chats c WHERE ${where}`) : [],
        spread ? undefined : shard.get<{ n: number }>(sql`SELECT count(DISTINCT c.wa_id) AS n FROM chats c WHERE ${where}`),
      ]);
      return { rows, ids: ids.map((r) => r.wa_id), count: total?.n ?? 0 };
    }),
  );
  const newest = new Map<string, WorkspacePerson & { ts: number }>();
  for (const r of pages.flatMap((p) => p.rows)) {
    const had = newest.get(r.wa_id);
    if (!had || r.ts > had.ts) newest.set(r.wa_id, r);
  }
  const merged = [...newest.values()].sort((a, b) => b.ts - a.ts || (a.wa_id < b.wa_id ? -1 : 1));
  const rows = spread ? merged.slice(offset, offset + limit) : merged;
  const count = spread ? new Set(pages.flatMap((p) => p.ids)).size : (pages[0]?.count ?? 0);
  return { rows: rows.map((r) => ({ wa_id: r.wa_id, profile_name: r.profile_name })), count };
}

type CheckStatus = (typeof CHECK_STATUSES)[number];
export type NumberCheckRow = { input: string; status: CheckStatus; waId: string | null };

const isStatus = (value: string): value is CheckStatus => (CHECK_STATUSES as readonly string[]).includes(value);

/** Stored answers for these inputs checked at `since` or later (chunked under D1's 100 bound parameters). */
export async function getNumberChecks(db: Db, inboxId: string, inputs: string[], since: number): Promise<NumberCheckRow[]> {
  const pages = await Promise.all(
    chunks(inputs, 90).map((chunk) =>
      db
        .select({ input: numberChecks.input, status: numberChecks.status, waId: numberChecks.waId })
        .from(numberChecks)
        .where(and(eq(numberChecks.inboxId, inboxId), inArray(numberChecks.input, chunk), gte(numberChecks.checkedAt, since))),
    ),
  );
  return pages.flat().flatMap((r) => (isStatus(r.status) ? [{ input: r.input, status: r.status, waId: r.waId }] : []));
}

/** Stores (or refreshes) answers in one batch: 5 parameters a row, so 20 rows a statement. */
export async function saveNumberChecks(db: Db, inboxId: string, rows: NumberCheckRow[], checkedAt: number): Promise<void> {
  const values = rows.map((r) => ({ inboxId, input: r.input, status: r.status, waId: r.waId, checkedAt }));
  const [first, ...rest] = chunks(values, 20).map((chunk) =>
    db
      .insert(numberChecks)
      .values(chunk)
      .onConflictDoUpdate({
        target: [numberChecks.inboxId, numberChecks.input],
        set: { status: sql`excluded.status`, waId: sql`excluded.wa_id`, checkedAt: sql`excluded.checked_at` },
      }),
  );
  if (first) await db.batch([first, ...rest]);
}
