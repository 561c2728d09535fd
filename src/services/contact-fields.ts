import { nowMicros } from "../contacts/times";
import { URN_SCHEMES } from "../contacts/urns";
import { identityOf, lenientValue, type ValueType } from "../contacts/values";
import type { Db } from "../db/client";
import {
  type FieldRow,
  type FieldsFilter,
  fieldByKey,
  fieldCount,
  fieldsHolding,
  fieldsPage,
  fieldValues,
  insertField,
  type Retyped,
  type StoredValue,
  saveField,
} from "../db/queries/contact-fields";
import { fieldErrors, notFound } from "../errors";
import { uniqueField } from "./unique";

/**
 * The workspace's contact fields (RapidPro v2's fields.json): labels and generated keys
 * by RapidPro's rules (mid-2021, plus Weni's refusal of a key that collides), seed 003's
 * types and identifier fields, and the re-typing of every stored text when a type changes.
 */

export type { FieldRow };

export const MAX_FIELDS = 250;
const MAX_LABEL_LENGTH = 36;
const MAX_KEY_LENGTH = 36;
const TAKEN = "This field must be unique.";

// Contact.RESERVED_ATTRIBUTES, and every URN scheme (RapidPro's RESERVED_FIELD_KEYS).
const RESERVED = new Set([
  "id",
  "name",
  "first_name",
  "language",
  "groups",
  "uuid",
  "created_on",
  "created_by",
  "modified_by",
  "is",
  "has",
  ...URN_SCHEMES,
]);

/** RapidPro's `ContactField.make_key`: "Nick name" → `nick_name`. */
export function makeKey(label: string): string {
  return label
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, " ")
    .trim()
    .replace(/[^a-z0-9]+/g, "_");
}

export const isValidKey = (key: string) => /^[a-z][a-z0-9_]*$/.test(key) && key.length <= MAX_KEY_LENGTH && !RESERVED.has(key);

/** What a write sends, already read as DRF's fields read it (labels trimmed, types by the seeds' names). */
export type FieldInput = { label?: string; valueType?: ValueType; options?: string[]; identifier?: boolean };
/** The keys the client used (the seeds' `label`/`value_type`, or today's `name`/`type`): errors are keyed by them. */
export type FieldKeys = { label: "label" | "name"; type: "value_type" | "type" };

export async function listFields(db: Db, workspaceId: string, filter: FieldsFilter, limit: number): Promise<FieldRow[]> {
  return fieldsPage(db, workspaceId, filter, limit);
}

/**
 * The label's problems, in RapidPro's order: DRF's validators (length, null characters,
 * uniqueness ignoring case, excluding the field itself) all together; once they pass, its
 * characters; then the key it generates (only a new field's key must be free: a field's
 * key never changes).
 */
async function labelProblems(db: Db, workspaceId: string, label: string, self: FieldRow | undefined): Promise<string[]> {
  const key = makeKey(label);
  const holders = await fieldsHolding(db, workspaceId, label.toLowerCase(), key);
  const messages = [
    ...([...label].length > MAX_LABEL_LENGTH ? [`Ensure this field has no more than ${MAX_LABEL_LENGTH} characters.`] : []),
    ...(label.includes("\u0000") ? ["Null characters are not allowed."] : []),
    ...(holders.some((f) => f.labelKey === label.toLowerCase() && f.id !== self?.id) ? [TAKEN] : []),
  ];
  if (messages.length) return messages;
  if (!/^[A-Za-z0-9\- ]+$/.test(label)) return ["Can only contain letters, numbers and hypens."];
  if (!isValidKey(key)) return [`Generated key "${key}" is invalid or a reserved name.`];
  if (!self && holders.some((f) => f.key === key)) return [`Generated key "${key}" conflicts with an existing contact field.`];
  return [];
}

/**
 * v2's POST: a create (`key` null: the key comes from the label) or an update of the
 * field with that key (404 when there is none). `problems` are the body's own errors,
 * reported with what only the database can tell; then the limit, as DRF's `validate`.
 */
export async function writeField(
  db: Db,
  workspaceId: string,
  key: string | null,
  input: FieldInput,
  keys: FieldKeys,
  problems: Record<string, unknown>,
): Promise<{ field: FieldRow; created: boolean }> {
  const self = key === null ? undefined : await fieldByKey(db, workspaceId, key);
  if (key !== null && !self) throw notFound();
  const errors: Record<string, unknown> = { ...problems };
  if (input.label !== undefined) {
    const messages = await labelProblems(db, workspaceId, input.label, self);
    if (messages.length) errors[keys.label] = messages;
  }
  const options = input.valueType === "options" ? (input.options ?? (self?.valueType === "options" ? self.options : null)) : null;
  if (input.valueType === "options" && options === null && !errors.options) errors.options = ["This field is required."];
  if (input.valueType !== undefined && input.valueType !== "options" && input.options !== undefined && !errors.options) {
    errors.options = ["Only fields of type options take options."];
  }
  if (Object.keys(errors).length) throw fieldErrors(errors);

  // No problems: the label and the type are there.
  const label = input.label as string;
  const valueType = input.valueType as ValueType;
  const definition = {
    label,
    labelKey: label.toLowerCase(),
    valueType,
    options,
    identifier: input.identifier ?? self?.identifier ?? false,
  };
  const unique = <T>(write: () => Promise<T>) =>
    uniqueField(
      () => uniqueField(write, "contact_fields.label_key", keys.label, TAKEN),
      "contact_fields.key",
      keys.label,
      `Generated key "${makeKey(label)}" conflicts with an existing contact field.`,
    );
  if (!self) {
    const field = await unique(() => insertField(db, workspaceId, { ...definition, key: makeKey(label) }, nowMicros(), MAX_FIELDS));
    if (!field) {
      const count = await fieldCount(db, workspaceId);
      throw fieldErrors({
        non_field_errors: [
          `This org has ${count} contact fields and the limit is ${MAX_FIELDS}. You must delete existing ones before you can create new ones.`,
        ],
      });
    }
    return { field, created: true };
  }

  const retype = valueType !== self.valueType || JSON.stringify(options) !== JSON.stringify(self.options);
  const reidentify = definition.identifier && (!self.identifier || retype);
  const clearIdentities = self.identifier && (!definition.identifier || reidentify);
  let retyped: Retyped[] | null = [];
  // Where a shared value would be reported: the key that made the field an identifier, or the change that merged two values.
  const clashKey =
    definition.identifier && !self.identifier
      ? "identifier"
      : input.options !== undefined && valueType === self.valueType
        ? "options"
        : keys.type;
  const clash = `Contacts share a value of the field "${self.key}", which an identifier field cannot hold twice.`;
  if (retype || reidentify || clearIdentities) {
    retyped = retypedValues(await fieldValues(db, workspaceId, self.id), definition, retype, clearIdentities);
    if (retyped === null) throw fieldErrors({ [clashKey]: [clash] });
  }
  const rows = retyped;
  const field = await uniqueField(
    () => unique(() => saveField(db, workspaceId, self.id, definition, rows, clearIdentities)),
    "contact_field_values.identity",
    clashKey,
    clash,
  );
  return { field, created: false };
}

/**
 * The values whose typed form or identity changes under the new definition (measured
 * against no identity at all when every identity is cleared first); null when two
 * contacts would hold one identity.
 */
function retypedValues(
  values: StoredValue[],
  definition: { valueType: string; options: string[] | null; identifier: boolean },
  retype: boolean,
  cleared: boolean,
): Retyped[] | null {
  const out: Retyped[] = [];
  const holders = new Set<string>();
  for (const v of values) {
    const typed = retype ? lenientValue(definition, v.text) : v.typed;
    const identity = definition.identifier ? identityOf(definition, v.text) : null;
    if (identity !== null) {
      if (holders.has(identity)) return null;
      holders.add(identity);
    }
    if (typed !== v.typed || identity !== (cleared ? null : v.identity)) out.push({ contactId: v.contactId, typed, identity });
  }
  return out;
}
