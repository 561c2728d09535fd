import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { config } from "../../config";
import type { AppEnv } from "../../context";
import { DIRECTORY } from "../../db/client";
import { getInbox, insertInbox, listInboxes, placement, updateInbox } from "../../db/queries/inboxes";
import { getWorkspace } from "../../db/queries/workspaces";
import { fieldErrors, notFound } from "../../errors";
import { bodyDoc, readBody } from "../../http/body";
import { type App, errorResponses, json } from "../../http/openapi";
import { PROVIDERS } from "../../providers/config";
import { forgetInboxes } from "../../services/inbox-cache";
import { InboxSchema, inboxSecrets, storeProviderConfig, TemplateRefSchema, toInboxWire } from "../../services/inboxes";
import { PageQuery, page, paginated, paginatedSchema } from "../../services/pagination";
import { parsePhoneNumber } from "../../services/phone-numbers";
import { readableSecrets } from "../../services/secrets";
import { uniqueField } from "../../services/unique";
import { WorkspaceParams } from "./workspaces";

const Hostname = z
  .string()
  .toLowerCase()
  .regex(/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/, "Enter a valid hostname.");
const CreateInboxBody = z.object({
  name: z.string().trim().min(1).max(200),
  provider: z.enum(PROVIDERS),
  phone_number: z.string().max(32).nullable().optional(),
  hostname: Hostname.nullable().optional(),
  config: z.record(z.string(), z.unknown()).default({}).openapi({
    description:
      "Per provider. cloud: phone_number_id, access_token, app_secret, verify_token, api_base_url?; 360dialog: api_key, api_base_url?, app_secret?, verify_token?; onprem: api_base_url, username?, password?, auth_token?, app_secret?, verify_token?; sandbox: app_secret?, verify_token?. Secrets are write-only.",
  }),
  invite_template: TemplateRefSchema.nullable().optional(),
  flow_templates: z
    .record(z.string().trim().min(1).max(100), TemplateRefSchema)
    .refine((flows) => Object.keys(flows).length <= 100, "At most 100 flows.")
    .optional(),
});
const PatchInboxBody = CreateInboxBody.partial();
const CreateBody = CreateInboxBody.extend({
  shard: z.string().optional().openapi({
    description:
      "Where the inbox's traffic goes: `DB` (the directory) or one of `SHARDS`. Default: the shard of `SHARDS` holding the workspace's other inboxes, else the one holding fewest inboxes.",
  }),
});
const InboxParams = WorkspaceParams.extend({ inboxId: z.string().openapi({ param: { name: "inboxId", in: "path" } }) });

const create = createRoute({
  method: "post",
  path: "/workspaces/{id}/inboxes",
  tags: ["Platform"],
  summary: "Create an inbox",
  request: { params: WorkspaceParams, body: bodyDoc(CreateBody) },
  responses: { 201: json(InboxSchema, "The inbox (secrets omitted)."), ...errorResponses },
});
const list = createRoute({
  method: "get",
  path: "/workspaces/{id}/inboxes",
  tags: ["Platform"],
  summary: "List a workspace's inboxes",
  request: { params: WorkspaceParams, query: PageQuery },
  responses: { 200: json(paginatedSchema(InboxSchema), "A page of inboxes, oldest (the default) first."), ...errorResponses },
});
const patch = createRoute({
  method: "patch",
  path: "/workspaces/{id}/inboxes/{inboxId}",
  tags: ["Platform"],
  summary: "Update an inbox",
  description:
    "`config` fields are merged over the stored ones (so secrets need not be resent); changing `provider` requires its full config.",
  request: { params: InboxParams, body: bodyDoc(PatchInboxBody) },
  responses: { 200: json(InboxSchema, "The inbox (secrets omitted)."), ...errorResponses },
});

async function requireWorkspace(c: Context<AppEnv>, id: string) {
  if (!(await getWorkspace(c.get("db"), id))) throw notFound();
}

function normalizePhone(value: string | null | undefined) {
  if (value === undefined || value === null || value === "") return value === "" ? null : value;
  const parsed = parsePhoneNumber(value);
  if (!parsed) throw fieldErrors({ phone_number: ["Enter a valid phone number in international format."] });
  return parsed;
}

/** Hostnames are unique across workspaces: a taken one is a 400. */
const withUniqueHostname = <T>(write: () => Promise<T>) =>
  uniqueField(write, "inboxes.hostname", "hostname", "An inbox with this hostname already exists.");

export const registerInboxes = (app: App) => {
  app.openapi(create, async (c) => {
    const { id } = c.req.valid("param");
    await requireWorkspace(c, id);
    const body = await readBody(c, CreateBody);
    const { SHARDS } = config(c.env);
    if (body.shard !== undefined && body.shard !== DIRECTORY && !SHARDS.includes(body.shard)) {
      throw fieldErrors({ shard: [`Enter ${[DIRECTORY, ...SHARDS].join(", ")}.`] });
    }
    const stored = await storeProviderConfig(c.env, body.provider, body.config);
    const shard = body.shard ?? (await placement(c.get("db"), SHARDS, id));
    const inbox = await withUniqueHostname(() =>
      insertInbox(c.get("db"), {
        workspaceId: id,
        name: body.name,
        provider: body.provider,
        phoneNumber: normalizePhone(body.phone_number) ?? null,
        hostname: body.hostname ?? null,
        inviteTemplate: body.invite_template ?? null,
        flowTemplates: body.flow_templates ?? {},
        shard,
        ...stored,
      }),
    );
    forgetInboxes();
    return c.json(await toInboxWire(c.env, inbox, new URL(c.req.url).origin), 201);
  });

  app.openapi(list, async (c) => {
    const { id } = c.req.valid("param");
    await requireWorkspace(c, id);
    const p = page(c.req.valid("query"));
    const { rows, count } = await listInboxes(c.get("db"), id, p.limit, p.offset);
    const origin = new URL(c.req.url).origin;
    return c.json(paginated(c.req.url, p, count, await Promise.all(rows.map((i) => toInboxWire(c.env, i, origin)))), 200);
  });

  app.openapi(patch, async (c) => {
    const { id, inboxId } = c.req.valid("param");
    const current = await getInbox(c.get("db"), id, inboxId);
    if (!current) throw notFound();
    const body = await readBody(c, PatchInboxBody);
    const provider = body.provider ?? current.provider;
    const base = provider === current.provider ? { ...current.config, ...(await readableSecrets(inboxSecrets(c.env, current))) } : {};
    const stored = body.config || body.provider ? await storeProviderConfig(c.env, provider, { ...base, ...body.config }) : {};
    const inbox = await withUniqueHostname(() =>
      updateInbox(c.get("db"), id, inboxId, {
        name: body.name,
        provider,
        phoneNumber: normalizePhone(body.phone_number),
        hostname: body.hostname,
        inviteTemplate: body.invite_template,
        flowTemplates: body.flow_templates,
        ...stored,
      }),
    );
    if (!inbox) throw notFound();
    forgetInboxes();
    return c.json(await toInboxWire(c.env, inbox, new URL(c.req.url).origin), 200);
  });
};
