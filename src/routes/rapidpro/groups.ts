import { createRoute, z } from "@hono/zod-openapi";
import { ApiError, badRequest, fieldErrors } from "../../errors";
import { bodyDoc } from "../../http/body";
import { type App, ErrorSchema, json } from "../../http/openapi";
import { requireUser } from "../../middleware/auth";
import { createGroup, type GroupRow, listGroups, loadGroup, removeGroup, updateGroup } from "../../services/contact-groups";
import {
  CursorQuery,
  charField,
  cursorOf,
  cursorPage,
  cursorPageSchema,
  lookupParam,
  parseKeys,
  readV2Object,
  requireLookup,
  strToBool,
  V2_PAGE_SIZE,
} from "./http";

const TAGS = ["RapidPro v2"];

export const V2GroupSchema = z
  .object({
    uuid: z.string(),
    name: z.string(),
    query: z.null().openapi({ description: "Always null: smart groups cannot be made through the API." }),
    status: z.literal("ready"),
    count: z.number().int().openapi({ description: "Live members, from the counter every membership write keeps." }),
  })
  .openapi("V2Group");

export const toV2Group = (g: GroupRow): z.infer<typeof V2GroupSchema> => ({
  uuid: g.uuid,
  name: g.name,
  query: null,
  status: "ready",
  count: g.memberCount,
});

const GroupWrite = { name: charField() };
/** Documentation only: the body is read by `GroupWrite`, with DRF's messages. */
const GroupWriteDoc = z.object({
  name: z
    .string()
    .max(64)
    .openapi({ description: "Unique among the workspace's groups ignoring case; starts with a letter, digit or `_`." }),
});

const UuidQuery = { uuid: z.string().optional().openapi({ description: "A group's uuid." }) };

const list = createRoute({
  method: "get",
  path: "/groups.json",
  tags: TAGS,
  summary: "List contact groups",
  description:
    "Newest first (oldest with `reverse`), 250 per page, keyset `cursor`; filter by `uuid` or by `name` (ignoring case), not both.",
  request: {
    query: z.object({
      ...UuidQuery,
      name: z.string().optional().openapi({ description: "A group's name, ignoring case." }),
      ...CursorQuery,
    }),
  },
  responses: {
    200: json(cursorPageSchema(V2GroupSchema), "A page of groups."),
    400: json(ErrorSchema, "Both `uuid` and `name`."),
    403: json(ErrorSchema, "No or a bad credential."),
    404: json(ErrorSchema, "A cursor this API did not give out."),
  },
});

const write = createRoute({
  method: "post",
  path: "/groups.json",
  tags: TAGS,
  summary: "Create or rename a contact group",
  description: "Without `uuid`: creates (at most 250 groups). `?uuid=` renames.",
  request: { query: z.object(UuidQuery), body: bodyDoc(GroupWriteDoc, undefined, { jsonOnly: true, required: false }) },
  responses: {
    200: json(V2GroupSchema, "Renamed."),
    201: json(V2GroupSchema, "Created."),
    400: json(ErrorSchema, "The name's problems; or the group limit under `non_field_errors`."),
    403: json(ErrorSchema, "No or a bad credential, or a user who may only read."),
    404: json(ErrorSchema, "No group has this uuid."),
    415: json(ErrorSchema, "A body that is not JSON."),
  },
});

const remove = createRoute({
  method: "delete",
  path: "/groups.json",
  tags: TAGS,
  summary: "Delete a contact group",
  description: "Its memberships go, and each member's `modified_on` moves.",
  request: { query: z.object(UuidQuery) },
  responses: {
    204: { description: "Deleted." },
    400: json(ErrorSchema, "No `uuid`."),
    403: json(ErrorSchema, "No or a bad credential, or a user who may only read."),
    404: json(ErrorSchema, "No group has this uuid."),
  },
});

export const registerGroups = (app: App) => {
  app.openapi(list, async (c) => {
    const workspaceId = requireUser(c).workspaceId;
    const q = c.req.valid("query");
    if (q.uuid !== undefined && q.name !== undefined) throw badRequest("You may only specify one of the uuid, name parameters");
    const filter = { uuid: q.uuid, name: q.name, reverse: strToBool(q.reverse), position: cursorOf(c) };
    const rows = await listGroups(c.get("db"), workspaceId, filter, V2_PAGE_SIZE + 1);
    return c.json(
      cursorPage(c.req.url, rows, (r) => [r.createdOn, r.id], toV2Group),
      200,
    );
  });

  app.openapi(write, async (c) => {
    const workspaceId = requireUser(c).workspaceId;
    const lookup = lookupParam(c, ["uuid"] as const);
    const db = c.get("db");
    // As RapidPro's view: the group is found before the body is read.
    const group = lookup ? await loadGroup(db, workspaceId, lookup.value) : undefined;
    const raw = await readV2Object(c);
    const { data, problems } = parseKeys(GroupWrite, raw);
    if (!Object.hasOwn(raw, "name")) problems.name = ["This field is required."];
    if (Object.keys(problems).length) throw fieldErrors(problems);
    const name = data.name as string;
    if (group) return c.json(toV2Group(await updateGroup(db, workspaceId, group, name)), 200);
    return c.json(toV2Group(await createGroup(db, workspaceId, name)), 201);
  });

  app.openapi(remove, async (c) => {
    const workspaceId = requireUser(c).workspaceId;
    const { value } = requireLookup(c, ["uuid"] as const);
    await removeGroup(c.get("db"), workspaceId, value);
    return c.body(null, 204);
  });

  // As the app's generic 405, for the inbox-scoped paths too.
  app.on(["PUT", "PATCH"], "/groups.json", (c) => {
    throw new ApiError(405, { detail: `Method "${c.req.method}" not allowed.` }, { Allow: "GET, POST, DELETE" });
  });
};
