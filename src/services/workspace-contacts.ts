import type { SQL } from "drizzle-orm";
import { nowMicros } from "../contacts/times";
import { parseUrn, phoneDigits, phoneIdentities, type Urn } from "../contacts/urns";
import { identityOf, lenientValue, strictValue } from "../contacts/values";
import { type ContactObject, toContactObject } from "../contacts/wire";
import type { Db } from "../db/client";
import { groupCount, groupsByUuidsOrNameKeys } from "../db/queries/contact-groups";
import { numbersOf } from "../db/queries/inboxes";
import { known, readAll, readOne } from "../db/queries/reads";
import {
  activeUserByUuid,
  type ContactDetails,
  type ContactRow,
  type ContactsFilter,
  type ContactWrite,
  contactById,
  contactByIdentities,
  contactByUuid,
  contactDetails,
  contactExtras,
  contactsPage,
  createContact,
  deleteContactRow,
  type FieldDefRow,
  fieldDefs,
  fieldsByKeys,
  identifierOwners,
  saveContact,
  stageById,
  urnOwners,
  urnsOf,
  type ValueWrite,
} from "../db/queries/workspace-contacts";
import type { EnhancedItem } from "../db/schema";
import { fieldErrors, notFound } from "../errors";
import { createGroupStatements, findGroups, groupIdByUuid, groupLimitMessage, groupNameKey, MAX_GROUPS } from "./contact-groups";
import { toWaId } from "./phone-numbers";

/**
 * The workspace contact model's one service: lookups and writes for every dialect (seed
 * 003's create-or-find, RapidPro v2's contacts.json, the Polser webhook) and the person
 * view. Each call is validated whole before anything is written, then written in one
 * batch; the unique URN and identifier indexes decide races, and a call that lost one is
 * validated again.
 */

export type CustomerInput = {
  channel: "whatsapp" | "web-whatsapp" | "webchat";
  channel_phone_number?: string;
  contact_phone_number?: string;
  channel_id?: string;
  external_user_id?: string;
  contact_name?: string;
  contact_email?: string;
  stageId?: string;
  agentId?: string;
  meta_data?: Record<string, unknown>;
  custom_field_values?: { key: string; value: string | number | boolean }[];
};

/**
 * Who seed 003's channel says the customer is: whatsapp channels by the phone key on one of
 * the workspace's WhatsApp inboxes (named by number in any formatting, or by id); webchat by
 * `webchat:<external_user_id>` on one of its webchat inboxes (which does not split identity).
 * `urn`: what a contact created (or found by an identifier value) gets.
 */
async function customerIdentity(db: Db, workspaceId: string, input: CustomerInput) {
  const inboxes = await numbersOf(db, workspaceId);
  if (input.channel === "webchat") {
    if (!inboxes.some((i) => i.id === input.channel_id && i.provider === "webchat")) {
      throw fieldErrors({ channel_id: ["No webchat channel of this workspace has this id."] });
    }
    const urn = parseUrn(`webchat:${(input.external_user_id ?? "").replace(/[#%?]/g, encodeURIComponent)}`);
    if (!urn) throw fieldErrors({ external_user_id: ["Enter a webchat user id of 1 to 255 characters."] });
    return { identities: [urn.identity], urn: toNewUrn(urn), inboxId: input.channel_id as string, digits: null };
  }
  const channel = input.channel_phone_number ?? "";
  const channelNumber = toWaId(channel);
  const isChannel = (n: (typeof inboxes)[number]) =>
    n.provider !== "webchat" &&
    (n.id === channel || (n.phoneNumber !== null && channelNumber !== "" && toWaId(n.phoneNumber) === channelNumber));
  const inbox = inboxes.find(isChannel);
  if (!inbox) throw fieldErrors({ channel_phone_number: ["No WhatsApp channel of this workspace has this number or id."] });
  const digits = phoneDigits(input.contact_phone_number ?? "");
  if (!digits) throw fieldErrors({ contact_phone_number: ["Enter a valid phone number with its country code."] });
  const identities = phoneIdentities(digits);
  return {
    identities: [...identities],
    urn: { scheme: "whatsapp", path: digits, identity: identities[0], display: null },
    inboxId: inbox.id,
    digits: digits as string | null,
  };
}

/** `inboxId`/`digits`: the channel's inbox and, on WhatsApp channels, the customer's number (their chat, for the agent). */
export type CustomerUpsert = {
  contact: ContactRow;
  created: boolean;
  urns: { scheme: string; path: string }[];
  inboxId: string;
  digits: string | null;
  agentId: number | null;
};

/** Seed 003's create-or-find: the contact and whether this call created it. */
export async function upsertCustomer(db: Db, workspaceId: string, input: CustomerInput, retried = false): Promise<CustomerUpsert> {
  const { identities, urn: channelUrn, inboxId, digits } = await customerIdentity(db, workspaceId, input);

  const problems: Record<string, unknown> = {};
  const entries = (input.custom_field_values ?? []).map((v) => ({ key: v.key, text: String(v.value) }));
  const keys = [...new Set(entries.map((v) => v.key))];
  const email = input.contact_email?.toLowerCase();
  const emailIdentity = email ? `mailto:${email}` : null;
  // Every read that needs nothing else, in one round trip.
  const [fieldRows, stage, agent, byPhone, emailOwner] = await readAll(db, [
    fieldsByKeys(db, workspaceId, keys),
    input.stageId ? stageById(db, workspaceId, input.stageId) : known({ id: "" }),
    input.agentId ? activeUserByUuid(db, workspaceId, input.agentId) : known(undefined),
    contactByIdentities(db, workspaceId, identities),
    emailIdentity ? contactByIdentities(db, workspaceId, [emailIdentity]) : known(undefined),
  ] as const);
  const defs = new Map(fieldRows.map((f) => [f.key, f]));
  const unknown = keys.filter((k) => !defs.has(k));
  if (unknown.length) throw fieldErrors({ custom_field_values: [`Unknown custom field keys: ${unknown.join(", ")}`] });
  // Unlike v2, nothing is lenient here: each value must parse as its field's type.
  const valueErrors: Record<string, unknown> = {};
  const values: ValueWrite[] = [];
  entries.forEach(({ key, text }, i) => {
    const field = defs.get(key) as FieldDefRow;
    const parsed = strictValue(field, text);
    if ("error" in parsed) valueErrors[i] = { value: [parsed.error] };
    else values.push({ fieldId: field.id, text, typed: parsed.value, identity: field.identifier ? identityOf(field, text) : null });
  });
  if (Object.keys(valueErrors).length) problems.custom_field_values = valueErrors;
  if (!stage) problems.stageId = ["No stage of this workspace has this id."];
  if (input.agentId && !agent) problems.agentId = ["No active team member of this workspace has this id."];
  const identifiers = values.flatMap((v) => (v.identity === null ? [] : [{ fieldId: v.fieldId, identity: v.identity }]));
  const held = await readOne(db, identifierOwners(db, workspaceId, identifiers));
  // Nobody has the number: the contact holding one of the identifier values is the one.
  const holderId = byPhone ? undefined : held.values().next().value;
  const found = byPhone ?? (holderId === undefined ? undefined : await readOne(db, contactById(db, workspaceId, holderId)));
  const clashes: Record<string, unknown> = {};
  values.forEach((v, i) => {
    const owner = v.identity === null ? undefined : held.get(`${v.fieldId}:${v.identity}`);
    if (owner !== undefined && owner !== found?.id) clashes[i] = { value: ["This value belongs to another contact."] };
  });
  if (Object.keys(clashes).length) problems.custom_field_values = { ...(problems.custom_field_values as object), ...clashes };
  if (emailOwner && emailOwner.id !== found?.id) problems.contact_email = ["This email address belongs to another contact."];
  if (Object.keys(problems).length) throw fieldErrors(problems);

  const set = {
    ...(input.contact_name !== undefined ? { name: input.contact_name } : {}),
    ...(input.stageId ? { stageId: input.stageId } : {}),
    ...(agent ? { agentId: agent.id } : {}),
  };
  const merge = (current: Record<string, unknown>) => {
    const next = { ...current };
    for (const [k, v] of Object.entries(input.meta_data ?? {})) {
      if (v === null) delete next[k];
      else next[k] = v;
    }
    return next;
  };
  const emailUrn = emailIdentity ? { scheme: "mailto", path: email as string, identity: emailIdentity } : null;
  const at = nowMicros();
  try {
    if (found) {
      const urns = await urnsOf(db, found.id);
      const has = (identity: string) => urns.some((u) => u.identity === identity);
      // A contact found by phone (or webchat id) gains no URN; one found by an identifier value gains the channel's.
      const addUrns = [...(byPhone ? [] : [channelUrn]), ...(emailUrn && !has(emailUrn.identity) ? [emailUrn] : [])];
      const { contact, details } = await saveContact(
        db,
        found,
        at,
        { set: { ...set, ...(input.meta_data ? { metaData: merge(found.metaData) } : {}) }, addUrns, values },
        (urns.at(-1)?.position ?? -1) + 1,
      );
      return { contact, created: false, urns: details.urns.get(contact.id) ?? [], inboxId, digits, agentId: agent?.id ?? null };
    }
    const urns = [channelUrn, ...(emailUrn ? [emailUrn] : [])];
    const uuid = crypto.randomUUID();
    const { contact, details } = await createContact(db, workspaceId, uuid, at, { set: { ...set, metaData: merge({}) }, urns, values });
    return { contact, created: true, urns: details.urns.get(contact.id) ?? [], inboxId, digits, agentId: agent?.id ?? null };
  } catch (e) {
    // Another call took the number or an identifier value first (the unique indexes): validated again, that contact is the one.
    if (!isUniqueViolation(e) || retried) throw e;
    return upsertCustomer(db, workspaceId, input, true);
  }
}

/** A group as a v2 write names it: its uuid or name (the seeds' `{"uuid","name"}` objects are read as their uuid, else name). */
export type GroupRef = string;

export type V2ContactInput = {
  name?: string | null;
  language?: string | null;
  urns?: Urn[];
  groups?: GroupRef[];
  fields?: Record<string, string | null>;
};

/** How a v2 write addresses its contact: `?uuid=`, `?urn=` (normalised), or neither (a create). */
export type V2Lookup = { uuid: string } | { urn: Urn } | null;

/**
 * RapidPro v2's contacts.json POST: a create, or an update by `?uuid=`/`?urn=` (a `?urn=`
 * matching nobody creates). `problems` are the body's own errors, reported together with
 * what only the database can tell (URN owners, unknown groups and field keys), as DRF's
 * field validation does; then the object-level rules. The unique URN index decides races.
 */
export async function writeV2Contact(
  db: Db,
  workspaceId: string,
  lookup: V2Lookup,
  input: V2ContactInput,
  problems: Record<string, unknown>,
  retried = false,
): Promise<{ contact: ContactRow; created: boolean; view: V2ContactView }> {
  // Every read the checks need, in one round trip.
  const [target, fields, groups, owners] = await readAll(db, [
    lookup ? v2Target(db, workspaceId, lookup) : known(undefined),
    fieldDefs(db, workspaceId),
    findGroups(db, workspaceId, input.groups ?? []),
    urnOwners(
      db,
      workspaceId,
      (input.urns ?? []).map((u) => u.identity),
    ),
  ] as const);
  if (lookup && "uuid" in lookup && !target) throw notFound();
  const errors: Record<string, unknown> = { ...problems };
  if (input.urns && lookup && "urn" in lookup) errors.urns = ["Field not allowed when using URN in URL"];
  else if (input.urns) {
    const taken = input.urns.find((u) => owners.has(u.identity) && owners.get(u.identity) !== target?.id);
    if (taken) errors.urns = [`URN belongs to another contact: ${taken.identity}`];
  }
  const missingGroup = input.groups?.find((ref) => !groups.has(ref));
  if (missingGroup !== undefined) errors.groups = [`No such object: ${missingGroup}`];
  const byKey = new Map(fields.map((f) => [f.key, f]));
  const unknownKey = Object.keys(input.fields ?? {}).find((k) => !byKey.has(k));
  if (unknownKey !== undefined) errors.fields = [`Invalid contact field key: ${unknownKey}`];
  const values: ValueWrite[] = [];
  const clearValues: number[] = [];
  if (unknownKey === undefined && input.fields) {
    for (const [key, text] of Object.entries(input.fields)) {
      const field = byKey.get(key) as FieldDefRow;
      if (text === null || text === "") clearValues.push(field.id);
      else
        values.push({
          fieldId: field.id,
          text,
          typed: lenientValue(field, text),
          identity: field.identifier ? identityOf(field, text) : null,
        });
    }
    // The unique index refuses a value another contact holds, so a write that looks valid
    // goes ahead unread; the owners are read to report them beside other problems, or after
    // the index refused the write.
    const identifiers = values.flatMap((v) => (v.identity === null ? [] : [{ fieldId: v.fieldId, identity: v.identity }]));
    const refused =
      Object.keys(errors).length || target?.deletedOn != null || (target && target.status !== "active" && input.groups?.length);
    const check = identifiers.length && (retried || refused);
    const held = await readOne(db, check ? identifierOwners(db, workspaceId, identifiers) : known(new Map<string, number>()));
    const clash = values.find((v) => v.identity !== null && (held.get(`${v.fieldId}:${v.identity}`) ?? target?.id) !== target?.id);
    if (clash) {
      const key = fields.find((f) => f.id === clash.fieldId)?.key as string;
      errors.fields = { [key]: ["This value belongs to another contact."] };
    }
  }
  if (Object.keys(errors).length) throw fieldErrors(errors);
  if (target?.deletedOn != null) throw fieldErrors({ non_field_errors: ["Inactive contacts can't be modified."] });
  if (target && target.status !== "active" && input.groups?.length) {
    throw fieldErrors({ groups: ["Non-active contacts can't be added to groups"] });
  }

  const wanted = input.groups ? [...new Set(input.groups.map((ref) => (groups.get(ref) as { id: number }).id))] : undefined;
  const set = {
    ...(input.name !== undefined ? { name: input.name } : {}),
    ...(input.language !== undefined ? { language: input.language } : {}),
  };
  const newUrns = (urns: Urn[]) => [...new Map(urns.map((u) => [u.identity, toNewUrn(u)])).values()];
  const at = nowMicros();
  try {
    if (target) {
      const written = await saveContact(db, target, at, {
        set,
        ...(input.urns ? { urns: newUrns(input.urns) } : {}),
        ...(wanted ? { keepOnlyGroups: wanted, addGroups: wanted } : {}),
        values,
        clearValues,
      });
      return { contact: written.contact, view: { ...written, fields }, created: false };
    }
    const uuid = crypto.randomUUID();
    const urns = lookup && "urn" in lookup ? [lookup.urn] : (input.urns ?? []);
    const written = await createContact(db, workspaceId, uuid, at, { set, urns: newUrns(urns), addGroups: wanted ?? [], values });
    return { contact: written.contact, view: { ...written, fields }, created: true };
  } catch (e) {
    // Another request took a URN or an identifier value first: validated again, a `?urn=`
    // upsert updates the contact it made, and anything else is refused as if that contact
    // had been there before.
    if (!isUniqueViolation(e) || retried) throw e;
    return writeV2Contact(db, workspaceId, lookup, input, problems, true);
  }
}

/** v2's soft delete: the tombstone keeps its uuid and dates; URNs are freed at once, groups and values go. */
export async function deleteV2Contact(db: Db, workspaceId: string, lookup: { uuid: string } | { urn: Urn }): Promise<void> {
  const target = await readOne(db, v2Target(db, workspaceId, lookup));
  if (!target || target.deletedOn !== null) throw notFound();
  const at = nowMicros();
  await saveContact(db, target, at, {
    set: { deletedOn: at, name: null, language: null },
    urns: [],
    keepOnlyGroups: [],
    clearAllValues: true,
  });
}

/** A page of v2 contacts with what their objects show. */
export async function v2ContactsPage(db: Db, workspaceId: string, filter: ContactsFilter & { group?: string }, limit: number) {
  let groupId: number | undefined;
  if (filter.group !== undefined) {
    const group = (await readOne(db, findGroups(db, workspaceId, [filter.group]))).get(filter.group);
    // RapidPro lists nobody for a group it does not know.
    if (!group) return { rows: [], details: await readOne(db, contactDetails(db, [])), fields: [] };
    groupId = group.id;
  }
  const rows = await contactsPage(db, workspaceId, { ...filter, groupId }, limit);
  const [details, fields] = await readAll(db, [
    contactDetails(
      db,
      rows.map((r) => r.id),
    ),
    fieldDefs(db, workspaceId),
  ] as const);
  return { rows, details, fields };
}

export type V2ContactView = { contact: ContactRow; details: ContactDetails; fields: FieldDefRow[] };

/** `?uuid=` finds tombstones too (they answer "Inactive contacts can't be modified."); `?urn=` only live contacts. */
function v2Target(db: Db, workspaceId: string, lookup: { uuid: string } | { urn: Urn }) {
  return "uuid" in lookup ? contactByUuid(db, workspaceId, lookup.uuid) : contactByIdentities(db, workspaceId, [lookup.urn.identity]);
}

const toNewUrn = (u: Urn) => ({ scheme: u.scheme, path: u.path, identity: u.identity, display: u.display });

function isUniqueViolation(e: unknown): boolean {
  return String((e as Error)?.message ?? e).includes("UNIQUE constraint failed");
}

/** Switchboard's object for a contact. */
export async function contactObject(db: Db, contact: ContactRow): Promise<ContactObject> {
  const [details, fields, extras] = await readAll(db, [
    contactDetails(db, [contact.id]),
    fieldDefs(db, contact.workspaceId),
    contactExtras(db, contact),
  ] as const);
  return toContactObject(contact, details, fields, extras);
}

/** The contact linked to a WhatsApp number (`whatsapp:<wa_id>`, else `tel:+<wa_id>`), as its object, or null. */
export async function linkedContactObject(db: Db, workspaceId: string, waId: string): Promise<ContactObject | null> {
  const contact = await contactByPhone(db, workspaceId, waId);
  return contact ? contactObject(db, contact) : null;
}

/** A phone key (Polser `phone`, seed 003 `contact_phone_number`): its digits, or a 400 under `path`. */
export function phoneKey(phone: string, path: string[]): string {
  const digits = phoneDigits(phone);
  if (!digits) throw fieldErrors(nested(path, ["Enter a valid phone number with its country code."]));
  return digits;
}

/** The live contact a phone key finds: `whatsapp:<digits>`, else `tel:+<digits>`. */
export function contactByPhone(db: Db, workspaceId: string, digits: string) {
  return readOne(db, phoneContact(db, workspaceId, digits));
}

/** `contactByPhone` as a lookup for a batch of reads. */
const phoneContact = (db: Db, workspaceId: string, digits: string) => contactByIdentities(db, workspaceId, phoneIdentities(digits));

/** The wa_ids a contact's chats have: the paths of its `whatsapp:` URNs and its `tel:` numbers without `+`, besides the number it was found by. */
export async function linkedWaIds(db: Db, contact: ContactRow | undefined, digits: string): Promise<string[]> {
  const urns = contact ? await urnsOf(db, contact.id) : [];
  const ids = urns.flatMap((u) => (u.scheme === "whatsapp" ? [u.path] : u.scheme === "tel" ? [u.path.replace(/^\+/, "")] : []));
  return [...new Set([digits, ...ids])];
}

export type PhoneUpsert = {
  name?: string;
  /** Group names, trimmed and valid. */
  labels?: string[];
  overrideLabels: boolean;
  /** Sections sent: a list replaces the section, null or `[]` removes it. */
  enhancedData?: Record<string, EnhancedItem[] | null>;
};

/** At most this many `enhanced_data` sections per contact. */
const MAX_SECTIONS = 50;

/**
 * The contact webhook's upsert by phone: the name replaced when given, labels matched to
 * the workspace's groups by name ignoring case (missing ones created in the same batch),
 * added or (`overrideLabels`) made exactly these, and `enhanced_data` merged section by
 * section. A contact this call creates gets `whatsapp:<digits>`.
 */
export async function upsertByPhone(
  db: Db,
  workspaceId: string,
  digits: string,
  input: PhoneUpsert,
  retried = false,
): Promise<{ contact: ContactRow; created: boolean }> {
  const labels = [...new Map((input.labels ?? []).map((l) => [groupNameKey(l), l])).values()];
  const [found, existing, groupTotal] = await readAll(db, [
    phoneContact(db, workspaceId, digits),
    groupsByUuidsOrNameKeys(db, workspaceId, [], labels.map(groupNameKey)),
    labels.length ? groupCount(db, workspaceId) : known(0),
  ] as const);
  const byKey = new Map(existing.map((g) => [g.nameKey, g]));
  const missing = labels.filter((l) => !byKey.has(groupNameKey(l)));
  if (missing.length && groupTotal + missing.length > MAX_GROUPS)
    throw fieldErrors({ contact: { labels: [groupLimitMessage(groupTotal)] } });
  const sections = { ...(found?.enhancedData ?? {}) };
  for (const [name, items] of Object.entries(input.enhancedData ?? {})) {
    if (items?.length) sections[name] = items;
    else delete sections[name];
  }
  if (Object.keys(sections).length > MAX_SECTIONS) {
    throw fieldErrors({ contact: { enhanced_data: [`A contact has at most ${MAX_SECTIONS} sections.`] } });
  }
  const at = nowMicros();
  const created = createGroupStatements(db, workspaceId, missing, at);
  const groupStatements = created.statements;
  const wanted: (number | SQL)[] = [
    ...labels.flatMap((l) => {
      const g = byKey.get(groupNameKey(l));
      return g ? [g.id] : [];
    }),
    ...created.groups.map((g) => groupIdByUuid(g.uuid)),
  ];
  const set = {
    ...(input.name !== undefined ? { name: input.name } : {}),
    ...(input.enhancedData ? { enhancedData: sections } : {}),
  };
  try {
    if (found) {
      const existingIds = wanted.filter((id): id is number => typeof id === "number");
      const write: ContactWrite = { set, addGroups: wanted, ...(input.overrideLabels ? { keepOnlyGroups: existingIds } : {}) };
      return { contact: (await saveContact(db, found, at, write, 0, groupStatements)).contact, created: false };
    }
    const uuid = crypto.randomUUID();
    const urns = [{ scheme: "whatsapp", path: digits, identity: phoneIdentities(digits)[0] }];
    return {
      contact: (await createContact(db, workspaceId, uuid, at, { set, urns, addGroups: wanted }, groupStatements)).contact,
      created: true,
    };
  } catch (e) {
    // A racing call created the contact or one of the groups first: that one is used.
    if (!isUniqueViolation(e) || retried) throw e;
    return upsertByPhone(db, workspaceId, digits, input, true);
  }
}

/** The hard delete of a contact (its URNs, values and memberships with it); chats are the caller's. */
export async function hardDeleteContact(db: Db, contact: ContactRow): Promise<void> {
  await deleteContactRow(db, contact);
}

/** `{"a": {"b": messages}}` for the path ["a", "b"]. */
function nested(path: string[], messages: string[]): Record<string, unknown> {
  return path.reduceRight<unknown>((inner, key) => ({ [key]: inner }), messages) as Record<string, unknown>;
}
