import { z } from "zod";
import type { Db } from "../db/client";
import type { Inbox } from "../db/queries/inboxes";
import {
  deleteTemplatesNamed,
  listTemplates,
  replaceTemplates,
  setTemplateStatus,
  templatesNamed,
  upsertTemplate,
} from "../db/queries/templates";
import { claimRefresh, failRefresh, getSync, isRefreshing, type Sync } from "../db/queries/upstream-syncs";
import { ApiError, fieldErrors, notFound, upstreamFailed } from "../errors";
import { ProviderError } from "../providers/provider";
import { type NewTemplate, type TemplateSource, templateSourceFor } from "../providers/templates";
import { inboxSecrets } from "./inboxes";

/**
 * Templates are served from a per-inbox cache (`templates` + `upstream_syncs`), so a list
 * never waits on Meta except the very first: a copy older than REFRESH_AFTER_S is
 * refreshed in the background, a failed refresh is retried after RETRY_AFTER_S, and a
 * `message_template_status_update` webhook updates the copy at once. Sandbox inboxes keep
 * their templates in the same table and approve them on creation.
 */
const REFRESH_AFTER_S = 300;
const RETRY_AFTER_S = 60;
/** A refresh mark older than this belongs to a Worker that died mid-refresh. */
const REFRESH_MARK_S = 120;

const now = () => Math.floor(Date.now() / 1000);

export async function templateSource(env: Env, inbox: Inbox): Promise<TemplateSource> {
  return templateSourceFor({ ...inbox, secrets: await inboxSecrets(env, inbox) });
}

export const templatesRefreshing = (sync: Sync | undefined, at = now()) => isRefreshing(sync, at, REFRESH_MARK_S);

/** The templates' namespace: the WABA's, from the last sync; sandbox templates have none, so a stable one per inbox stands in. */
export const templateNamespace = (inbox: Pick<Inbox, "id" | "provider">, sync: Sync | undefined) =>
  inbox.provider === "sandbox" ? `sandbox_${inbox.id.replaceAll("-", "")}` : (sync?.namespace ?? null);

/**
 * Refreshes the cached copy from the upstream unless a refresh is already running.
 * Failures are recorded on the sync row (the copy stays as it was), never thrown.
 */
export async function refreshTemplates(db: Db, inbox: Inbox, source: TemplateSource): Promise<void> {
  if (source.kind !== "upstream") return;
  const at = now();
  if (!(await claimRefresh(db, inbox.id, "templates", at, at - REFRESH_MARK_S))) return;
  try {
    const { templates, namespace } = await source.api.list();
    await replaceTemplates(db, inbox.id, templates, namespace, at);
  } catch (e) {
    const reason = e instanceof ProviderError ? e.message : String(e);
    console.error(JSON.stringify({ level: "error", inbox: inbox.id, templatesRefresh: reason }));
    await failRefresh(db, inbox.id, "templates", reason, at);
  }
}

/**
 * The sync state a list is answered from, after making sure the copy is fresh enough:
 * the first list waits for the upstream, later ones refresh in the background.
 */
export async function freshTemplates(db: Db, inbox: Inbox, source: TemplateSource, background: (work: Promise<void>) => void) {
  if (source.kind !== "upstream") return getSync(db, inbox.id, "templates");
  const sync = await getSync(db, inbox.id, "templates");
  const at = now();
  if (sync?.attemptedAt == null) {
    await refreshTemplates(db, inbox, source);
    return getSync(db, inbox.id, "templates");
  }
  const stale = (sync.syncedAt ?? 0) < at - REFRESH_AFTER_S && sync.attemptedAt < at - RETRY_AFTER_S;
  if (stale && !templatesRefreshing(sync, at)) background(refreshTemplates(db, inbox, source));
  return sync;
}

const relayed = (e: unknown, detail: string) => (e instanceof ProviderError ? upstreamFailed(detail, e.body) : e);
const unavailable = (reason: string) => new ApiError(501, { detail: reason });

export async function createTemplate(db: Db, inbox: Inbox, source: TemplateSource, template: NewTemplate) {
  if (source.kind === "none") throw unavailable(source.reason);
  const existing = await templatesNamed(db, inbox.id, template.name);
  if (existing.some((t) => t.language === template.language)) {
    throw fieldErrors({ name: [`A template named "${template.name}" in ${template.language} already exists.`] });
  }
  if (source.kind === "store") {
    const created = { ...template, status: "approved", rejectedReason: null, upstreamId: null };
    await upsertTemplate(db, inbox.id, created);
    return created;
  }
  let created: Awaited<ReturnType<typeof source.api.create>>;
  try {
    created = await source.api.create(template);
  } catch (e) {
    throw relayed(e, "The WhatsApp provider did not accept the template.");
  }
  await upsertTemplate(db, inbox.id, created);
  return created;
}

export async function deleteTemplate(db: Db, inbox: Inbox, source: TemplateSource, name: string): Promise<void> {
  if (source.kind === "none") throw unavailable(source.reason);
  const known = await templatesNamed(db, inbox.id, name);
  // A synced copy that lacks the name is answer enough; an unsynced one asks the upstream.
  const synced = source.kind === "store" || (await getSync(db, inbox.id, "templates"))?.syncedAt != null;
  if (!known.length && synced) throw notFound();
  if (source.kind === "upstream") {
    try {
      await source.api.remove(name);
    } catch (e) {
      throw relayed(e, "The WhatsApp provider did not delete the template.");
    }
  }
  await deleteTemplatesNamed(db, inbox.id, name);
}

/**
 * A template message may go out only with a template the number has approved, where the
 * inbox knows its templates (a synced copy, or a sandbox inbox that has any); otherwise
 * the upstream decides (a sandbox without templates sends any). `field`: the message
 * type (`template` or `hsm`).
 */
export async function assertTemplateSendable(db: Db, inbox: Inbox, field: string, name: string, language: string): Promise<void> {
  const known =
    inbox.provider === "sandbox"
      ? (await listTemplates(db, inbox.id, 1, 0)).count > 0
      : (await getSync(db, inbox.id, "templates"))?.syncedAt != null;
  if (!known) return;
  const template = (await templatesNamed(db, inbox.id, name)).find((t) => t.language === language);
  if (!template) throw fieldErrors({ [field]: [`No template "${name}" in ${language} on this number.`] });
  if (template.status !== "approved") {
    throw fieldErrors({ [field]: [`Template "${name}" in ${language} is ${template.status}, not approved.`] });
  }
}

const StatusUpdate = z.looseObject({
  event: z.string().min(1),
  message_template_name: z.string().min(1),
  message_template_language: z.string().min(1),
  reason: z.string().nullish(),
});

/** Cloud's `message_template_status_update` webhook value (`event`: APPROVED, REJECTED, PAUSED, ...); anything else is ignored. */
export async function applyTemplateStatusUpdate(db: Db, inboxId: string, value: unknown): Promise<void> {
  const parsed = StatusUpdate.safeParse(value);
  if (!parsed.success) return;
  const v = parsed.data;
  const reason = v.reason && v.reason !== "NONE" ? v.reason : null;
  await setTemplateStatus(db, inboxId, {
    name: v.message_template_name,
    language: v.message_template_language,
    status: v.event.toLowerCase(),
    reason,
  });
}
