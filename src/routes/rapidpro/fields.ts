import { createRoute, z } from "@hono/zod-openapi";
import { MAX_VALUE_LENGTH, VALUE_TYPES, type ValueType } from "../../contacts/values";
import { ApiError } from "../../errors";
import { bodyDoc } from "../../http/body";
import { type App, ErrorSchema, json } from "../../http/openapi";
import { requireUser } from "../../middleware/auth";
import { type FieldKeys, type FieldRow, listFields, writeField } from "../../services/contact-fields";
import {
  CursorQuery,
  charField,
  cursorOf,
  cursorPage,
  cursorPageSchema,
  listField,
  lookupParam,
  parseKeys,
  readV2Object,
  strToBool,
  V2_PAGE_SIZE,
} from "./http";

const TAGS = ["RapidPro v2"];

/** Today's RapidPro names its types in `type` (`number`); the seeds' `value_type` says `numeric`. */
const CLIENT_TYPES: Record<string, ValueType> = Object.fromEntries(VALUE_TYPES.map((t) => [t === "numeric" ? "number" : t, t]));
const SEED_TYPES: Record<string, ValueType> = Object.fromEntries(VALUE_TYPES.map((t) => [t, t]));
const clientType = (t: string) => (t === "numeric" ? "number" : t);

/** Python's `str()` of a JSON value, as DRF's ChoiceField quotes it. */
function pyStr(value: unknown): string {
  if (typeof value === "string") return value;
  if (typeof value === "boolean") return value ? "True" : "False";
  if (typeof value === "number") return String(value);
  return JSON.stringify(value);
}

/** DRF's ChoiceField over one of the two type vocabularies. */
const choiceField = (choices: Record<string, ValueType>) =>
  z.unknown().transform((value, ctx): ValueType => {
    const text = pyStr(value);
    if (value !== null && Object.hasOwn(choices, text)) return choices[text] as ValueType;
    ctx.addIssue({
      code: "custom",
      message: value === null ? "This field may not be null." : `"${text}" is not a valid choice.`,
      input: value,
    });
    return z.NEVER;
  });

const TRUE = new Set(["true", "t", "yes", "y", "on", "1"]);
const FALSE = new Set(["false", "f", "no", "n", "off", "0"]);

/** DRF's BooleanField. */
const booleanField = z.unknown().transform((value, ctx): boolean => {
  const text = typeof value === "string" ? value.toLowerCase() : typeof value === "number" ? String(value) : undefined;
  if (typeof value === "boolean") return value;
  if (text !== undefined && TRUE.has(text)) return true;
  if (text !== undefined && FALSE.has(text)) return false;
  ctx.addIssue({ code: "custom", message: value === null ? "This field may not be null." : "Must be a valid boolean.", input: value });
  return z.NEVER;
});

const optionList = listField(charField({ max: MAX_VALUE_LENGTH }));

/** Seed 003's options: 1 to 100 strings, distinct ignoring case (v2 matches values to them ignoring case). */
const optionsField = z.unknown().transform((value, ctx): string[] => {
  const parsed = optionList.safeParse(value, { reportInput: true });
  if (!parsed.success) {
    for (const issue of parsed.error.issues) ctx.addIssue(issue as never);
    return z.NEVER;
  }
  const options = parsed.data.filter((o): o is string => o !== null);
  const message = !options.length
    ? "This list may not be empty."
    : new Set(options.map((o) => o.toLowerCase())).size < options.length
      ? "Options must be distinct, ignoring case."
      : null;
  if (message) {
    ctx.addIssue({ code: "custom", message, input: value });
    return z.NEVER;
  }
  return options;
});

const FieldWrite = {
  label: charField(),
  name: charField(),
  value_type: choiceField(SEED_TYPES),
  type: choiceField(CLIENT_TYPES),
  options: optionsField,
  identifier: booleanField,
};

/** Documentation only: bodies are read key by key by `FieldWrite`, with DRF's messages. */
const FieldWriteDoc = z.object({
  label: z.string().max(36).optional().openapi({ description: "The seeds' key for the name: letters, digits, hyphens and spaces." }),
  name: z.string().max(36).optional().openapi({ description: "Today's clients' key for the label." }),
  value_type: z.enum(VALUE_TYPES).optional().openapi({ description: "The seeds' type names (`numeric`)." }),
  type: z
    .enum(VALUE_TYPES.map(clientType) as [string, ...string[]])
    .optional()
    .openapi({ description: "Today's clients' type names (`number`)." }),
  options: z
    .array(z.string().max(MAX_VALUE_LENGTH))
    .min(1)
    .max(100)
    .optional()
    .openapi({ description: "For `options` fields: the choices." }),
  identifier: z.boolean().optional().openapi({ description: "Seed 003's deduplicating fields: a value belongs to at most one contact." }),
});

export const V2FieldSchema = z
  .object({
    key: z.string(),
    label: z.string(),
    name: z.string(),
    value_type: z.string().openapi({
      description: "The seeds' names: `text`, `numeric`, `datetime`, `date`, `boolean`, `options`, `state`, `district`, `ward`.",
    }),
    type: z.string().openapi({ description: "Today's names: `number` for `numeric`, the others alike." }),
    pinned: z.boolean(),
    identifier: z.boolean(),
    options: z.array(z.string()).nullable(),
  })
  .openapi("V2Field");

export function toV2Field(f: FieldRow): z.infer<typeof V2FieldSchema> {
  return {
    key: f.key,
    label: f.label,
    name: f.label,
    value_type: f.valueType,
    type: clientType(f.valueType),
    pinned: f.pinned,
    identifier: f.identifier,
    options: f.options ?? null,
  };
}

const KeyQuery = { key: z.string().optional().openapi({ description: "A field's key." }) };

const list = createRoute({
  method: "get",
  path: "/fields.json",
  tags: TAGS,
  summary: "List contact fields",
  description: "Newest first (oldest with `reverse`), 250 per page, keyset `cursor`; `key` finds one field.",
  request: { query: z.object({ ...KeyQuery, ...CursorQuery }) },
  responses: {
    200: json(cursorPageSchema(V2FieldSchema), "A page of fields."),
    403: json(ErrorSchema, "No or a bad credential."),
    404: json(ErrorSchema, "A cursor this API did not give out."),
  },
});

const write = createRoute({
  method: "post",
  path: "/fields.json",
  tags: TAGS,
  summary: "Create or update a contact field",
  description:
    "Without `key`: creates (the key is generated from the label, e.g. `Nick name` → `nick_name`); at most 250 fields. `?key=` changes the label and the type (both required, as in RapidPro) and re-reads every stored value. Takes the seeds' `label`/`value_type` or today's `name`/`type`; errors are keyed by the key sent.",
  request: { query: z.object(KeyQuery), body: bodyDoc(FieldWriteDoc, undefined, { jsonOnly: true, required: false }) },
  responses: {
    200: json(V2FieldSchema, "Updated."),
    201: json(V2FieldSchema, "Created."),
    400: json(ErrorSchema, "The body's problems, by key; or the field limit under `non_field_errors`."),
    403: json(ErrorSchema, "No or a bad credential, or a user who may only read."),
    404: json(ErrorSchema, "No field has this key."),
    415: json(ErrorSchema, "A body that is not JSON."),
  },
});

export const registerFields = (app: App) => {
  app.openapi(list, async (c) => {
    const workspaceId = requireUser(c).workspaceId;
    const q = c.req.valid("query");
    const filter = { key: q.key, reverse: strToBool(q.reverse), position: cursorOf(c) };
    const rows = await listFields(c.get("db"), workspaceId, filter, V2_PAGE_SIZE + 1);
    return c.json(
      cursorPage(c.req.url, rows, (r) => [r.createdOn, r.id], toV2Field),
      200,
    );
  });

  app.openapi(write, async (c) => {
    const workspaceId = requireUser(c).workspaceId;
    const lookup = lookupParam(c, ["key"] as const);
    const raw = await readV2Object(c);
    const { data, problems } = parseKeys(FieldWrite, raw);
    const sent = (k: string) => Object.hasOwn(raw, k);
    // Errors name the keys the client used, and today's keys win when both are sent; a body using
    // neither vocabulary is read as the seeds'.
    const keys: FieldKeys = {
      label: sent("name") || (!sent("label") && sent("type")) ? "name" : "label",
      type: sent("type") || (!sent("value_type") && sent("name")) ? "type" : "value_type",
    };
    if (!sent("label") && !sent("name")) problems[keys.label] = ["This field is required."];
    if (!sent("value_type") && !sent("type")) problems[keys.type] = ["This field is required."];
    const input = {
      label: (keys.label === "name" ? data.name : data.label) ?? undefined,
      valueType: keys.type === "type" ? data.type : data.value_type,
      options: data.options,
      identifier: data.identifier,
    };
    const { field, created } = await writeField(c.get("db"), workspaceId, lookup?.value ?? null, input, keys, problems);
    return c.json(toV2Field(field), created ? 201 : 200);
  });

  // RapidPro has no way to delete a field through the API. Said here too for the inbox-scoped
  // paths, which the app's generic 405 (by the document's bare paths) does not recognise.
  app.on(["DELETE", "PUT", "PATCH"], "/fields.json", (c) => {
    throw new ApiError(405, { detail: `Method "${c.req.method}" not allowed.` }, { Allow: "GET, POST" });
  });
};
