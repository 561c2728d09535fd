import { z } from "zod";
import { cloudApi } from "./cloud";
import { dialog360Api } from "./dialog360";
import { type ProviderInbox, WEBCHAT_NOT_WHATSAPP } from "./provider";
import { call, readJson } from "./upstream";

/**
 * Message templates through the inbox's provider. Templates live on the WhatsApp Business
 * Account: Cloud reads and writes them through the Graph API, 360dialog through its
 * `/v1/configs/templates`. The on-premises API has none (they are managed in WhatsApp
 * Manager) and sandbox inboxes keep theirs in D1 (`kind: "store"`).
 */

export type UpstreamTemplate = {
  name: string;
  language: string;
  category: string;
  /** The upstream's status in lower case (`approved`, `pending`, `rejected`, ...). */
  status: string;
  components: unknown[];
  rejectedReason: string | null;
  upstreamId: string | null;
};
export type NewTemplate = { name: string; category: string; language: string; components: unknown[] };

export interface TemplateApi {
  /** Every template of the account (all pages) and the account's namespace. */
  list(): Promise<{ templates: UpstreamTemplate[]; namespace: string | null }>;
  create(template: NewTemplate): Promise<UpstreamTemplate>;
  /** Deletes the name in every language, as WhatsApp does. */
  remove(name: string): Promise<void>;
}

export type TemplateSource = { kind: "upstream"; api: TemplateApi } | { kind: "store" } | { kind: "none"; reason: string };

export function templateSourceFor(inbox: ProviderInbox): TemplateSource {
  switch (inbox.provider) {
    case "sandbox":
      return { kind: "store" };
    case "webchat":
      return { kind: "none", reason: WEBCHAT_NOT_WHATSAPP };
    case "onprem":
      return {
        kind: "none",
        reason: "The on-premises API has no template API: manage this number's templates in WhatsApp Manager.",
      };
    case "360dialog":
      return { kind: "upstream", api: dialog360Templates(inbox) };
    case "cloud": {
      const api = cloudApi(inbox);
      if (!api.waba) {
        return {
          kind: "none",
          reason: "This Cloud inbox names no WhatsApp Business Account: set `waba_id` in its config to manage templates.",
        };
      }
      return { kind: "upstream", api: cloudTemplates(api.waba, api.headers) };
    }
  }
}

/** One template as both upstreams write it (360dialog relays Meta's objects). */
const Template = z.looseObject({
  id: z.string().optional(),
  name: z.string().min(1),
  language: z.string().min(1),
  category: z.string().min(1),
  status: z.string().min(1),
  components: z.array(z.unknown()).default([]),
  rejected_reason: z.string().nullish(),
  namespace: z.string().nullish(),
});

const toUpstream = (t: z.infer<typeof Template>): UpstreamTemplate => ({
  name: t.name,
  language: t.language,
  category: t.category,
  status: t.status.toLowerCase(),
  components: t.components,
  rejectedReason: t.rejected_reason ?? null,
  upstreamId: t.id ?? null,
});

const json = (headers: Record<string, string>, method: string, body: unknown) => ({
  method,
  headers: { ...headers, "Content-Type": "application/json" },
  body: JSON.stringify(body),
});

/** Pages followed at most this far (Meta allows a few thousand templates per account). */
const MAX_PAGES = 50;
const FIELDS = "id,name,language,category,status,components,rejected_reason";

const GraphPage = z.looseObject({
  data: z.array(Template),
  paging: z.looseObject({ cursors: z.looseObject({ after: z.string().optional() }).optional(), next: z.string().optional() }).optional(),
});
const Namespace = z.looseObject({ message_template_namespace: z.string().optional() });
const Created = z.looseObject({ id: z.string().min(1), status: z.string().min(1), category: z.string().optional() });

function cloudTemplates(waba: string, headers: Record<string, string>): TemplateApi {
  const collection = `${waba}/message_templates`;
  return {
    async list() {
      const templates: UpstreamTemplate[] = [];
      let after: string | undefined;
      for (let i = 0; i < MAX_PAGES; i++) {
        // The cursor, not `paging.next`: our credentials go only to the configured base URL.
        const url = `${collection}?fields=${FIELDS}&limit=100${after ? `&after=${encodeURIComponent(after)}` : ""}`;
        const page = await readJson(await call(url, { headers }), url, GraphPage);
        templates.push(...page.data.map(toUpstream));
        after = page.paging?.next ? page.paging.cursors?.after : undefined;
        if (!after) break;
      }
      const url = `${waba}?fields=message_template_namespace`;
      const { message_template_namespace } = await readJson(await call(url, { headers }), url, Namespace);
      return { templates, namespace: message_template_namespace ?? null };
    },
    async create(t) {
      const created = await readJson(await call(collection, json(headers, "POST", t)), collection, Created);
      return {
        ...t,
        category: created.category ?? t.category,
        status: created.status.toLowerCase(),
        rejectedReason: null,
        upstreamId: created.id,
      };
    },
    async remove(name) {
      const url = `${collection}?name=${encodeURIComponent(name)}`;
      await call(url, { method: "DELETE", headers });
    },
  };
}

const DialogPage = z.looseObject({ waba_templates: z.array(Template), total: z.number().int().optional() });

function dialog360Templates(inbox: ProviderInbox): TemplateApi {
  const { base, headers } = dialog360Api(inbox);
  const collection = `${base}/v1/configs/templates`;
  return {
    async list() {
      const templates: UpstreamTemplate[] = [];
      let namespace: string | null = null;
      for (let i = 0; i < MAX_PAGES; i++) {
        const url = `${collection}?limit=1000&offset=${templates.length}`;
        const page = await readJson(await call(url, { headers }), url, DialogPage);
        templates.push(...page.waba_templates.map(toUpstream));
        namespace ??= page.waba_templates.find((t) => t.namespace)?.namespace ?? null;
        if (!page.waba_templates.length || templates.length >= (page.total ?? 0)) break;
      }
      return { templates, namespace };
    },
    async create(t) {
      const created = await readJson(await call(collection, json(headers, "POST", t)), collection, Template);
      return toUpstream(created);
    },
    async remove(name) {
      await call(`${collection}/${encodeURIComponent(name)}`, { method: "DELETE", headers });
    },
  };
}
