import { createRoute, z } from "@hono/zod-openapi";
import { iso6393 } from "iso-639-3";
import { isoToMicros } from "../../contacts/times";
import { invalidUrnMessage, parseUrn, type Urn } from "../../contacts/urns";
import { toV2Contact } from "../../contacts/wire";
import { badRequest } from "../../errors";
import { bodyDoc } from "../../http/body";
import { type App, ErrorSchema, json } from "../../http/openapi";
import { requireUser } from "../../middleware/auth";
import { deleteV2Contact, type V2Lookup, v2ContactsPage, writeV2Contact } from "../../services/workspace-contacts";
import {
  CursorQuery,
  charField,
  cursorOf,
  cursorPage,
  cursorPageSchema,
  dictField,
  listField,
  lookupParam,
  parseKeys,
  pyType,
  readV2Object,
  requireLookup,
  strToBool,
  V2_PAGE_SIZE,
} from "./http";

const TAGS = ["RapidPro v2"];
const LANGUAGES = new Set(iso6393.map((l) => l.iso6393));

/** RapidPro's URNField: a CharField (not trimmed) of at most 255 characters, normalised and validated. */
const urnField = z.unknown().transform((value, ctx): Urn => {
  const fail = (message: string) => {
    ctx.addIssue({ code: "custom", message, input: value });
    return z.NEVER;
  };
  if (value === null) return fail("This field may not be null.");
  if (typeof value === "boolean" || (typeof value !== "string" && typeof value !== "number")) return fail("Not a valid string.");
  const text = String(value);
  if (text.trim() === "") return fail("This field may not be blank.");
  if (text.includes("\u0000")) return fail("Null characters are not allowed.");
  if ([...text].length > 255) return fail("Ensure this field has no more than 255 characters.");
  return parseUrn(text) ?? fail(invalidUrnMessage(text));
});

/**
 * RapidPro's ContactGroupField (many): the first bad item refuses the list, unindexed. Items
 * are uuids or names (an integer is read as its text); the seeds' `{"uuid","name"}` objects
 * are read as their uuid, else their name.
 */
const groupsField = z.unknown().transform((value, ctx): string[] => {
  const fail = (message: string) => {
    ctx.addIssue({ code: "custom", message, input: value });
    return z.NEVER;
  };
  if (value === null) return fail("This field may not be null.");
  if (!Array.isArray(value)) return fail(`Expected a list of items but got type "${pyType(value)}".`);
  if (value.length > 100) return fail("This field can only contain up to 100 items.");
  const refs: string[] = [];
  for (const item of value) {
    const ref =
      typeof item === "string" || (typeof item === "number" && Number.isInteger(item))
        ? String(item)
        : item && typeof item === "object" && !Array.isArray(item)
          ? groupObjectRef(item as Record<string, unknown>)
          : undefined;
    if (ref === undefined) return fail("Must be a string or integer");
    if (ref.includes("\u0000")) return fail("Null characters are not allowed.");
    refs.push(ref);
  }
  return refs;
});

function groupObjectRef(item: Record<string, unknown>): string | undefined {
  const { uuid, name } = item;
  if (typeof uuid === "string" && uuid !== "") return uuid;
  if (typeof name === "string" && name !== "") return name;
  return undefined;
}

const ContactWrite = {
  name: charField({ max: 64, nullable: true }),
  language: charField({
    min: 3,
    max: 3,
    nullable: true,
    check: (code) => (LANGUAGES.has(code) ? null : "Not a valid ISO639-3 language code."),
  }),
  urns: listField(urnField),
  groups: groupsField,
  fields: dictField(charField({ max: 640, allowBlank: true, nullable: true })),
};

const ContactWriteDoc = z
  .object({
    name: z.string().max(64).nullable().optional(),
    language: z.string().length(3).nullable().optional().openapi({ description: "ISO 639-3." }),
    urns: z.array(z.string().max(255)).max(100).optional().openapi({ description: "Replaces the list; the first is the preferred one." }),
    groups: z
      .array(z.union([z.string(), z.object({ uuid: z.string().optional(), name: z.string().optional() })]))
      .max(100)
      .optional()
      .openapi({ description: "Group uuids or names (ignoring case), or the seeds' objects; replaces the memberships." }),
    fields: z
      .record(z.string(), z.union([z.string(), z.number(), z.null()]))
      .optional()
      .openapi({ description: 'Changes only the listed keys; `""` or null clears one.' }),
  })
  .openapi("V2ContactWrite");

export const V2ContactSchema = z
  .object({
    uuid: z.string(),
    name: z.string().nullable(),
    language: z.string().nullable(),
    urns: z.array(z.string()),
    groups: z.array(z.object({ uuid: z.string(), name: z.string() })),
    fields: z.record(z.string(), z.string().nullable()),
    flow: z.null(),
    status: z.enum(["active", "blocked", "stopped"]).nullable(),
    blocked: z.boolean().nullable(),
    stopped: z.boolean().nullable(),
    created_on: z.string(),
    modified_on: z.string(),
    last_seen_on: z.string().nullable(),
  })
  .openapi("V2Contact");

const LookupQuery = {
  uuid: z.string().optional().openapi({ description: "The contact's uuid." }),
  urn: z.string().optional().openapi({ description: "A URN (percent-encoded), normalised as RapidPro does." }),
};

/** A `?urn=` value as a URN; one that does not parse is a 400 naming it. */
function urnParam(value: string): Urn {
  const urn = parseUrn(value);
  if (!urn) throw badRequest(`Invalid URN: ${value}`);
  return urn;
}

const writeLookup = (found: { name: "urn" | "uuid"; value: string } | null): V2Lookup =>
  found === null ? null : found.name === "uuid" ? { uuid: found.value } : { urn: urnParam(found.value) };

const list = createRoute({
  method: "get",
  path: "/contacts.json",
  tags: TAGS,
  summary: "List contacts",
  description: "Newest `modified_on` first (oldest with `reverse`), 250 per page, keyset `cursor`. `deleted=true` lists only tombstones.",
  request: {
    query: z.object({
      ...LookupQuery,
      group: z.string().optional().openapi({ description: "A group's uuid or name." }),
      deleted: z.string().optional().openapi({ description: "RapidPro boolean: only deleted contacts." }),
      before: z.string().optional().openapi({ description: "`modified_on` at or before (ISO 8601)." }),
      after: z.string().optional().openapi({ description: "`modified_on` at or after (ISO 8601)." }),
      ...CursorQuery,
    }),
  },
  responses: {
    200: json(cursorPageSchema(V2ContactSchema), "A page of contacts."),
    400: json(ErrorSchema, "An unparseable `urn`."),
    403: json(ErrorSchema, "No or a bad credential."),
  },
});

const write = createRoute({
  method: "post",
  path: "/contacts.json",
  tags: TAGS,
  summary: "Create or update a contact",
  description:
    "Without a lookup: creates (every URN must be free). `?uuid=` or `?urn=` updates only the keys given (`?urn=` matching nobody creates the contact with that URN). Problems come as DRF field errors, all together.",
  request: { query: z.object(LookupQuery), body: bodyDoc(ContactWriteDoc, undefined, { jsonOnly: true, required: false }) },
  responses: {
    200: json(V2ContactSchema, "Updated."),
    201: json(V2ContactSchema, "Created."),
    400: json(ErrorSchema, "The body's problems, by key."),
    403: json(ErrorSchema, "No or a bad credential, or a user who may only read."),
    404: json(ErrorSchema, "No contact has this uuid."),
  },
});

const remove = createRoute({
  method: "delete",
  path: "/contacts.json",
  tags: TAGS,
  summary: "Delete a contact",
  description:
    "RapidPro's soft delete: the contact stays listed under `deleted=true`; its URNs are free at once, its groups and values go.",
  request: { query: z.object(LookupQuery) },
  responses: {
    204: { description: "Deleted." },
    400: json(ErrorSchema, "Neither or both lookups."),
    403: json(ErrorSchema, "No or a bad credential, or a user who may only read."),
    404: json(ErrorSchema, "Nobody matches."),
  },
});

export const registerContacts = (app: App) => {
  app.openapi(list, async (c) => {
    const workspaceId = requireUser(c).workspaceId;
    const q = c.req.valid("query");
    const bound = (text: string | undefined) => (text === undefined ? undefined : (isoToMicros(text) ?? Number.NaN));
    const before = bound(q.before);
    const after = bound(q.after);
    const reverse = strToBool(q.reverse);
    const position = cursorOf(c);
    // RapidPro lists nothing for a date it cannot read.
    const empty = Number.isNaN(before) || Number.isNaN(after);
    const { rows, details, fields } = empty
      ? { rows: [], details: undefined, fields: [] }
      : await v2ContactsPage(
          c.get("db"),
          workspaceId,
          {
            deleted: strToBool(q.deleted),
            uuid: q.uuid,
            identity: q.urn === undefined ? undefined : urnParam(q.urn).identity,
            group: q.group,
            before,
            after,
            reverse,
            position,
          },
          V2_PAGE_SIZE + 1,
        );
    return c.json(
      cursorPage(
        c.req.url,
        rows,
        (r) => [r.modifiedOn, r.id],
        (r) => toV2Contact(r, details as never, fields),
      ) as never,
      200,
    );
  });

  app.openapi(write, async (c) => {
    const workspaceId = requireUser(c).workspaceId;
    const lookup = writeLookup(lookupParam(c, ["urn", "uuid"] as const));
    const { data, problems } = parseKeys(ContactWrite, await readV2Object(c));
    const db = c.get("db");
    const { view, created } = await writeV2Contact(db, workspaceId, lookup, data, problems);
    return c.json(toV2Contact(view.contact, view.details, view.fields) as never, created ? 201 : 200);
  });

  app.openapi(remove, async (c) => {
    const workspaceId = requireUser(c).workspaceId;
    const found = requireLookup(c, ["urn", "uuid"] as const);
    await deleteV2Contact(c.get("db"), workspaceId, found.name === "uuid" ? { uuid: found.value } : { urn: urnParam(found.value) });
    return c.body(null, 204);
  });
};
