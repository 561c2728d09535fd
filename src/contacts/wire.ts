import { z } from "@hono/zod-openapi";
import type { ContactDetails, ContactRow, FieldDefRow } from "../db/queries/workspace-contacts";
import { microsToIso, microsToIsoOrNull } from "./times";
import { v2String } from "./values";

/** How contacts are shown: RapidPro v2's object (values as strings) and Switchboard's (values typed, stage, agent, data). */

/** A URN as RapidPro's API shows it: the identity, and its display after `#`. */
const urnText = (u: { identity: string; display: string | null }) => (u.display ? `${u.identity}#${u.display}` : u.identity);

export function toV2Contact(row: ContactRow, details: ContactDetails, fields: FieldDefRow[]) {
  const times = {
    created_on: microsToIso(row.createdOn),
    modified_on: microsToIso(row.modifiedOn),
    last_seen_on: microsToIsoOrNull(row.lastSeenOn),
  };
  if (row.deletedOn !== null) {
    return {
      uuid: row.uuid,
      name: null,
      language: null,
      urns: [],
      groups: [],
      fields: {},
      flow: null,
      status: null,
      blocked: null,
      stopped: null,
      ...times,
    };
  }
  const values = details.values.get(row.id);
  return {
    uuid: row.uuid,
    name: row.name,
    language: row.language,
    urns: (details.urns.get(row.id) ?? []).map(urnText),
    groups: (details.groups.get(row.id) ?? []).map((g) => ({ uuid: g.uuid, name: g.name })),
    fields: Object.fromEntries(fields.map((f) => [f.key, v2String(f, values?.get(f.id)?.typed ?? null)])),
    flow: null,
    status: row.status,
    blocked: row.status === "blocked",
    stopped: row.status === "stopped",
    ...times,
  };
}

export type ContactExtras = {
  stage: { id: string; name: string } | null;
  agent: { id: number; uuid: string | null; username: string; email: string } | null;
};

/** Switchboard's contact object (the person view's `workspace_contact`, the Polser answers): values typed as JSON. */
export function toContactObject(row: ContactRow, details: ContactDetails, fields: FieldDefRow[], extras: ContactExtras) {
  const values = details.values.get(row.id);
  return {
    uuid: row.uuid,
    name: row.name,
    language: row.language,
    urns: (details.urns.get(row.id) ?? []).map(urnText),
    groups: (details.groups.get(row.id) ?? []).map((g) => ({ uuid: g.uuid, name: g.name })),
    fields: Object.fromEntries(fields.map((f) => [f.key, values?.get(f.id)?.typed ?? null])),
    stage: extras.stage,
    agent: extras.agent,
    meta_data: row.metaData,
    enhanced_data: row.enhancedData,
    status: row.status,
    created_on: microsToIso(row.createdOn),
    modified_on: microsToIso(row.modifiedOn),
    last_seen_on: microsToIsoOrNull(row.lastSeenOn),
  };
}
export type ContactObject = ReturnType<typeof toContactObject>;

export const ContactObjectSchema = z
  .object({
    uuid: z.string(),
    name: z.string().nullable(),
    language: z.string().nullable(),
    urns: z.array(z.string()),
    groups: z.array(z.object({ uuid: z.string(), name: z.string() })),
    fields: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])),
    stage: z.object({ id: z.string(), name: z.string() }).nullable(),
    agent: z.object({ id: z.number().int(), uuid: z.string().nullable(), username: z.string(), email: z.string() }).nullable(),
    meta_data: z.record(z.string(), z.unknown()),
    enhanced_data: z.record(
      z.string(),
      z.array(z.object({ text: z.string(), description: z.string().optional(), link: z.string().optional() })),
    ),
    status: z.enum(["active", "blocked", "stopped"]),
    created_on: z.string(),
    modified_on: z.string(),
    last_seen_on: z.string().nullable(),
  })
  .openapi("WorkspaceContact", { description: "The workspace's contact: one model behind RapidPro v2, the contact webhook and seed 003." });
