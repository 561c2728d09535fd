import { phoneDigits, phoneIdentities } from "../contacts/urns";
import type { Db } from "../db/client";
import { numbersOf } from "../db/queries/inboxes";
import {
  activeUserByUuid,
  type ContactRow,
  contactByIdentities,
  contactByUuid,
  fieldsByKeys,
  insertContact,
  stageExists,
  updateContact,
  urnsOf,
} from "../db/queries/workspace-contacts";
import { fieldErrors } from "../errors";
import { toWaId } from "./phone-numbers";

/**
 * The workspace contact model's one service: lookups and writes for every dialect (seed
 * 003 today; RapidPro v2 and the Polser webhook next). Each call is validated whole
 * before anything is written, then written in one batch.
 */

const micros = () => Date.now() * 1000;

export type CustomerInput = {
  channel: "whatsapp" | "web-whatsapp" | "webchat";
  channel_phone_number?: string;
  contact_phone_number?: string;
  channel_id?: string;
  contact_name?: string;
  contact_email?: string;
  stageId?: string;
  agentId?: string;
  meta_data?: Record<string, unknown>;
  custom_field_values?: { key: string; value: string | number | boolean }[];
};

/** Seed 003's create-or-find: the contact and whether this call created it. */
export async function upsertCustomer(
  db: Db,
  workspaceId: string,
  input: CustomerInput,
): Promise<{ contact: ContactRow; created: boolean; urns: { scheme: string; path: string }[] }> {
  if (input.channel === "webchat") {
    // Webchat inboxes do not exist yet, so no channel id names one of the workspace's.
    throw fieldErrors({ channel_id: ["No webchat channel of this workspace has this id."] });
  }
  // The channel is an inbox of the workspace, named by its id or by its number in any formatting.
  const channel = input.channel_phone_number ?? "";
  const channelNumber = toWaId(channel);
  const numbers = await numbersOf(db, workspaceId);
  const isChannel = (n: { id: string; phoneNumber: string | null }) =>
    n.id === channel || (n.phoneNumber !== null && channelNumber !== "" && toWaId(n.phoneNumber) === channelNumber);
  if (!numbers.some(isChannel)) {
    throw fieldErrors({ channel_phone_number: ["No WhatsApp channel of this workspace has this number or id."] });
  }
  const digits = phoneDigits(input.contact_phone_number ?? "");
  if (!digits) throw fieldErrors({ contact_phone_number: ["Enter a valid phone number with its country code."] });

  const problems: Record<string, unknown> = {};
  const keys = [...new Set((input.custom_field_values ?? []).map((v) => v.key))];
  const known = new Set((await fieldsByKeys(db, workspaceId, keys)).map((f) => f.key));
  const unknown = keys.filter((k) => !known.has(k));
  if (unknown.length) throw fieldErrors({ custom_field_values: [`Unknown custom field keys: ${unknown.join(", ")}`] });
  if (keys.length) {
    // Fields are defined through RapidPro v2's fields.json, which is not served yet: no key can be known.
    problems.custom_field_values = ["Custom field values are not supported yet."];
  }
  if (input.stageId && !(await stageExists(db, workspaceId, input.stageId))) problems.stageId = ["No stage of this workspace has this id."];
  const agent = input.agentId ? await activeUserByUuid(db, workspaceId, input.agentId) : undefined;
  if (input.agentId && !agent) problems.agentId = ["No active team member of this workspace has this id."];
  const email = input.contact_email?.toLowerCase();
  const emailIdentity = email ? `mailto:${email}` : null;
  const identities = phoneIdentities(digits);
  const [found, emailOwner] = await Promise.all([
    contactByIdentities(db, workspaceId, identities),
    emailIdentity ? contactByIdentities(db, workspaceId, [emailIdentity]) : undefined,
  ]);
  if (emailOwner && emailOwner.id !== found?.id) problems.contact_email = ["This email address belongs to another contact."];
  if (Object.keys(problems).length) throw fieldErrors(problems);

  const changes = {
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
  const at = micros();
  if (found) {
    const urns = await urnsOf(db, found.id);
    const addUrns =
      emailIdentity && !urns.some((u) => u.identity === emailIdentity)
        ? [{ scheme: "mailto", path: email as string, identity: emailIdentity }]
        : [];
    await updateContact(
      db,
      found,
      at,
      { ...changes, ...(input.meta_data ? { metaData: merge(found.metaData) } : {}) },
      addUrns,
      (urns.at(-1)?.position ?? -1) + 1,
    );
    return { contact: (await contactByUuid(db, workspaceId, found.uuid)) as ContactRow, created: false, urns: [...urns, ...addUrns] };
  }
  const urns = [
    { scheme: "whatsapp", path: digits, identity: identities[0] },
    ...(emailIdentity ? [{ scheme: "mailto", path: email as string, identity: emailIdentity }] : []),
  ];
  const uuid = crypto.randomUUID();
  try {
    await insertContact(db, workspaceId, uuid, at, { ...changes, metaData: merge({}) }, urns);
  } catch (e) {
    // Another call took the number first (the unique URN index): that contact is the one.
    const winner = await contactByIdentities(db, workspaceId, identities);
    if (!winner) throw e;
    return upsertCustomer(db, workspaceId, input);
  }
  return { contact: (await contactByUuid(db, workspaceId, uuid)) as ContactRow, created: true, urns };
}
