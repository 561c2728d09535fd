import { and, asc, desc, eq, or, sql } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import type { Typed } from "../../contacts/values";
import type { Db } from "../client";
import { contactFields, contactFieldValues } from "../schema";

/** The workspace's contact field definitions and the re-typing of their stored values. Every query takes the workspace. */

export type FieldRow = typeof contactFields.$inferSelect;
export type NewField = Pick<FieldRow, "key" | "label" | "labelKey" | "valueType" | "options" | "identifier">;
export type FieldChanges = Pick<FieldRow, "label" | "labelKey" | "valueType" | "options" | "identifier">;

export type FieldsFilter = { key?: string; reverse: boolean; position: [number, number] | null };

/**
 * A keyset page, newest first (oldest with `reverse`); await it, or `.toSQL()` it for a
 * query plan. The workspace prefix of
 * `contact_fields_key_idx` finds the rows; at most 250 a workspace, so the sort that
 * follows is a few hundred rows at worst.
 */
export function fieldsPage(db: Db, workspaceId: string, f: FieldsFilter, limit: number) {
  const after = f.position
    ? f.reverse
      ? sql`(${contactFields.createdOn}, ${contactFields.id}) > (${f.position[0]}, ${f.position[1]})`
      : sql`(${contactFields.createdOn}, ${contactFields.id}) < (${f.position[0]}, ${f.position[1]})`
    : undefined;
  const order = f.reverse ? [asc(contactFields.createdOn), asc(contactFields.id)] : [desc(contactFields.createdOn), desc(contactFields.id)];
  return db
    .select()
    .from(contactFields)
    .where(and(eq(contactFields.workspaceId, workspaceId), f.key !== undefined ? eq(contactFields.key, f.key) : undefined, after))
    .orderBy(...order)
    .limit(limit);
}

export async function fieldByKey(db: Db, workspaceId: string, key: string): Promise<FieldRow | undefined> {
  return db
    .select()
    .from(contactFields)
    .where(and(eq(contactFields.workspaceId, workspaceId), eq(contactFields.key, key)))
    .get();
}

/** The fields holding this label (ignoring case) or this key: what a new label would collide with. */
export async function fieldsHolding(db: Db, workspaceId: string, labelKey: string, key: string): Promise<FieldRow[]> {
  return db
    .select()
    .from(contactFields)
    .where(and(eq(contactFields.workspaceId, workspaceId), or(eq(contactFields.labelKey, labelKey), eq(contactFields.key, key))));
}

export async function fieldCount(db: Db, workspaceId: string): Promise<number> {
  const row = await db.select({ n: sql<number>`count(*)` }).from(contactFields).where(eq(contactFields.workspaceId, workspaceId)).get();
  return row?.n ?? 0;
}

/**
 * Creates a field unless the workspace has `limit` already (then undefined). The batch is
 * one transaction and D1 runs one write at a time: a field past the limit is taken back
 * before anyone can see it, so concurrent creations cannot pass the limit together. The
 * unique key and label indexes refuse a field another request created first (the caller
 * names the key that clashed).
 */
export async function insertField(db: Db, workspaceId: string, field: NewField, at: number, limit: number): Promise<FieldRow | undefined> {
  const one = and(eq(contactFields.workspaceId, workspaceId), eq(contactFields.key, field.key));
  const [, , rows] = await db.batch([
    db.insert(contactFields).values({ ...field, workspaceId, createdOn: at }),
    db.delete(contactFields).where(and(one, sql`(SELECT count(*) FROM contact_fields WHERE workspace_id = ${workspaceId}) > ${limit}`)),
    db.select().from(contactFields).where(one),
  ]);
  return rows[0];
}

export type StoredValue = { contactId: number; text: string; typed: Typed; identity: string | null };

/** Every stored value of a field (the workspace prefix of `contact_field_values_identity_idx` finds them). */
export async function fieldValues(db: Db, workspaceId: string, fieldId: number): Promise<StoredValue[]> {
  const rows = await db
    .select({
      contactId: contactFieldValues.contactId,
      text: contactFieldValues.text,
      typed: contactFieldValues.typed,
      identity: contactFieldValues.identity,
    })
    .from(contactFieldValues)
    .where(and(eq(contactFieldValues.workspaceId, workspaceId), eq(contactFieldValues.fieldId, fieldId)));
  return rows.map((r) => ({ ...r, typed: r.typed ?? null }));
}

export type Retyped = { contactId: number; typed: Typed; identity: string | null };

// Rows travel as one JSON parameter (D1 binds at most 100 per statement); a statement's
// parameter stays far below D1's 2 MB string limit (texts are at most 640 characters).
const ROWS_PER_STATEMENT = 500;

/**
 * The field's new definition and its values' new typed forms and identities, in one batch
 * (one D1 transaction): readers never see a type with values typed for another. Each
 * statement updates up to 500 values from `json_each` over one parameter, found by their
 * primary key (contact, field). `clearIdentities` empties every identity first, since
 * SQLite checks the unique index row by row: values whose identities trade places would
 * collide on the way; `retyped` then holds every value that keeps one. A shared identity
 * fails the batch on the unique index.
 */
export async function saveField(
  db: Db,
  workspaceId: string,
  fieldId: number,
  changes: FieldChanges,
  retyped: Retyped[],
  clearIdentities: boolean,
): Promise<FieldRow> {
  const statements: BatchItem<"sqlite">[] = [];
  for (let i = 0; i < retyped.length; i += ROWS_PER_STATEMENT) {
    const rows = retyped
      .slice(i, i + ROWS_PER_STATEMENT)
      .map((r) => [r.contactId, r.typed === null ? null : JSON.stringify(r.typed), r.identity]);
    statements.push(retypeStatement(db, workspaceId, fieldId, JSON.stringify(rows)));
  }
  const one = and(eq(contactFields.workspaceId, workspaceId), eq(contactFields.id, fieldId));
  const clear = clearIdentities ? [db.update(contactFieldValues).set({ identity: null }).where(valuesOf(workspaceId, fieldId))] : [];
  const [first, ...rest] = [db.update(contactFields).set(changes).where(one), ...clear, ...statements];
  await db.batch([first as BatchItem<"sqlite">, ...rest]);
  return (await db.select().from(contactFields).where(one).get()) as FieldRow;
}

const valuesOf = (workspaceId: string, fieldId: number) =>
  and(eq(contactFieldValues.workspaceId, workspaceId), eq(contactFieldValues.fieldId, fieldId));

/**
 * `rows`: `[[contactId, typed as JSON or null, identity or null], ...]`. The unary `+`
 * keeps the workspace check off the (workspace, field, identity) index: SQLite would
 * otherwise walk every value of the field once per JSON row; this way each JSON row finds
 * its value by the primary key (contact, field).
 */
export function retypeStatement(db: Db, workspaceId: string, fieldId: number, rows: string) {
  const column = (i: number) => sql`json_extract(j.value, ${`$[${i}]`})`;
  return db
    .update(contactFieldValues)
    .set({ typed: column(1), identity: column(2) })
    .from(sql`json_each(${rows}) AS j`)
    .where(
      and(
        sql`+${contactFieldValues.workspaceId} = ${workspaceId}`,
        eq(contactFieldValues.fieldId, fieldId),
        sql`${contactFieldValues.contactId} = ${column(0)}`,
      ),
    );
}
