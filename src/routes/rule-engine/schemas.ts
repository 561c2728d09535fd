import { z } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { AppEnv } from "../../context";
import { getGroup } from "../../db/queries/groups";
import type { Rule } from "../../db/queries/rules";
import { getTag } from "../../db/queries/tags";
import { getUser } from "../../db/queries/users";
import { ASSIGN_METHODS } from "../../db/schema";
import { fieldErrors } from "../../errors";
import { uniqueField } from "../../services/unique";

const Id = z.number().int().positive().nullable();
export const RuleBody = z.object({
  tagged_with: Id.optional().openapi({ description: "A tag id; null: a fresh incoming message in a chat nobody is assigned to." }),
  assign_to_user: Id.optional(),
  assign_to_group: Id.optional(),
  group_assign_method: z.enum(ASSIGN_METHODS).nullable().optional(),
});
export type RuleValues = {
  taggedWith: number | null;
  assignToUser: number | null;
  assignToGroup: number | null;
  groupAssignMethod: Rule["groupAssignMethod"];
};

export const RuleSchema = z
  .object({
    id: z.number().int(),
    tagged_with: z.number().int().nullable(),
    assign_to_user: z.number().int().nullable(),
    assign_to_group: z.number().int().nullable(),
    group_assign_method: z.enum(ASSIGN_METHODS).nullable(),
  })
  .openapi("Rule");

export const toRuleWire = (r: Rule) => ({
  id: r.id,
  tagged_with: r.taggedWith,
  assign_to_user: r.assignToUser,
  assign_to_group: r.assignToGroup,
  group_assign_method: r.groupAssignMethod,
});

/** A rule's fields merged over what it had, checked: one target, a method with a group, every id of this workspace. */
export async function checkedRule(c: Context<AppEnv>, body: z.infer<typeof RuleBody>, before?: Rule): Promise<RuleValues> {
  const v: RuleValues = {
    taggedWith: body.tagged_with === undefined ? (before?.taggedWith ?? null) : body.tagged_with,
    assignToUser: body.assign_to_user === undefined ? (before?.assignToUser ?? null) : body.assign_to_user,
    assignToGroup: body.assign_to_group === undefined ? (before?.assignToGroup ?? null) : body.assign_to_group,
    groupAssignMethod: body.group_assign_method === undefined ? (before?.groupAssignMethod ?? null) : body.group_assign_method,
  };
  if ((v.assignToUser === null) === (v.assignToGroup === null)) {
    throw fieldErrors({ non_field_errors: ["Set exactly one of assign_to_user and assign_to_group."] });
  }
  if (v.assignToGroup !== null && v.groupAssignMethod === null)
    throw fieldErrors({ group_assign_method: ["This field is required with assign_to_group."] });
  if (v.assignToGroup === null && v.groupAssignMethod !== null)
    throw fieldErrors({ group_assign_method: ["Only a rule assigning a group has a method."] });
  const db = c.get("db");
  const ws = c.get("inbox").workspaceId;
  const missing = (id: number) => [`Invalid pk "${id}" - object does not exist.`];
  if (v.taggedWith !== null && !(await getTag(db, ws, v.taggedWith))) throw fieldErrors({ tagged_with: missing(v.taggedWith) });
  if (v.assignToUser !== null && !(await getUser(db, ws, v.assignToUser))) throw fieldErrors({ assign_to_user: missing(v.assignToUser) });
  if (v.assignToGroup !== null && !(await getGroup(db, ws, v.assignToGroup)))
    throw fieldErrors({ assign_to_group: missing(v.assignToGroup) });
  return v;
}

/** Request headers an engine may not be sent (the call's own framing and signature). */
const RESERVED_HEADERS = /^(content-type|content-length|host|user-agent|webhook-.*)$/i;
const HeaderName = z
  .string()
  .regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,100}$/, "Not a valid header name.")
  .refine((n) => !RESERVED_HEADERS.test(n), "This header is set by Switchboard.");
export const EngineBody = z.object({
  mode: z.enum(["default", "custom"]),
  url: z.string().trim().max(2000).nullable().optional(),
  headers: z
    .record(HeaderName, z.string().max(4000))
    .refine((h) => Object.keys(h).length <= 20, "At most 20 headers.")
    .optional()
    .openapi({ description: "Write-only: sent with every engine call (e.g. `Authorization`); only their names are shown." }),
});
export const EngineSchema = z
  .object({ mode: z.enum(["default", "custom"]), url: z.string().nullable(), header_names: z.array(z.string()) })
  .openapi("RuleEngine");

export const uniqueTrigger = <T>(write: () => Promise<T>) =>
  uniqueField(write, "rules.inbox_id", "tagged_with", "A rule for this trigger already exists.");
