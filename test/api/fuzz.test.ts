import { env } from "cloudflare:workers";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { call, callJson, PLATFORM_KEY, platform } from "../helpers/api";
import { createUser, createWorkspace } from "../helpers/factories";
import { APP_SECRET, cloudEnvelope, contact, postWebhook, sign, textMessage, VERIFY_TOKEN } from "../helpers/whatsapp";

/**
 * Every operation of `/openapi.json`, fed bodies generated from its own request schema
 * and then mutated the way attackers and buggy clients do (deep nesting at any level,
 * huge strings and numbers, nulls, wrong types, odd unicode), sent as JSON, form or
 * multipart; GETs get generated and mutated query strings. No answer may be a 5xx, and
 * afterwards every list and detail still reads. Seeded (FUZZ_SEED) so a failure replays;
 * each failure names the request.
 */
const SEED = Number(process.env.FUZZ_SEED ?? 20261201);
const RUNS_PER_OPERATION = 60;
const MS_PER_OPERATION = 1_500;

type Schema = {
  $ref?: string;
  type?: string | string[];
  const?: unknown;
  enum?: unknown[];
  anyOf?: Schema[];
  oneOf?: Schema[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  minItems?: number;
  maxItems?: number;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  pattern?: string;
  format?: string;
};
type Parameter = { in: string; name: string; schema: Schema };
type Operation = { parameters?: Parameter[]; requestBody?: { content: Record<string, { schema: Schema }> } };
type Doc = { paths: Record<string, Record<string, Operation>>; components: { schemas: Record<string, Schema> } };

/** Values that satisfy `schema` (as far as JSON Schema says), so mutations start from something valid. */
type Hints = Record<string, fc.Arbitrary<unknown>>;
function fromSchema(schema: Schema, doc: Doc, hints: Hints = {}, depth = 0): fc.Arbitrary<unknown> {
  const recurse = (s: Schema, d = depth) => fromSchema(s, doc, hints, d);
  if (schema.$ref) return recurse(doc.components.schemas[schema.$ref.split("/").pop() as string] ?? {});
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const union = schema.anyOf ?? schema.oneOf;
  if (union) return fc.oneof(...union.map((s) => recurse(s)));
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  if (depth > 6) return fc.constant(null);
  switch (type) {
    case "object": {
      // Known names get real values most of the time (an existing chat, message, user), so requests get past lookups.
      const props = Object.fromEntries(
        Object.entries(schema.properties ?? {}).map(([k, s]) => [
          k,
          hints[k] ? fc.oneof({ arbitrary: hints[k], weight: 3 }, recurse(s, depth + 1)) : recurse(s, depth + 1),
        ]),
      );
      // Optional keys are rare (one in four), so bodies with "exactly one of" rules are often valid.
      const required = new Set(schema.required ?? []);
      return fc
        .tuple(
          ...Object.entries(props).map(([k, arb]) =>
            required.has(k)
              ? arb.map((v) => [k, v] as const)
              : fc.oneof({ arbitrary: fc.constant(null), weight: 3 }, { arbitrary: arb.map((v) => [k, v] as const), weight: 1 }),
          ),
        )
        .map((entries) => Object.fromEntries(entries.filter((e) => e !== null)));
    }
    case "array":
      return fc.array(recurse(schema.items ?? {}, depth + 1), {
        minLength: schema.minItems ?? 0,
        maxLength: Math.max(schema.minItems ?? 0, Math.min(schema.maxItems ?? 3, 3)),
      });
    case "string":
      if (schema.format === "uri") return fc.webUrl();
      if (schema.format === "email") return fc.emailAddress();
      if (schema.pattern) {
        // fast-check cannot generate from lookaheads: such patterns get plain strings (mostly refused, which is fine).
        try {
          return fc.stringMatching(new RegExp(schema.pattern));
        } catch {
          return fc.string({ maxLength: 30 });
        }
      }
      return fc.string({
        minLength: schema.minLength ?? 0,
        maxLength: Math.max(schema.minLength ?? 0, Math.min(schema.maxLength ?? 30, 30)),
      });
    case "integer":
      return fc.integer({ min: schema.minimum ?? -1_000, max: schema.maximum ?? 1_000_000 });
    case "number":
      return fc.double({ min: schema.minimum ?? -1e6, max: schema.maximum ?? 1e6, noNaN: true });
    case "boolean":
      return fc.boolean();
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

/** Deep nesting cannot be built as a value (JSON.stringify would overflow): a marker string, replaced in the text. */
const DEEP = /"__deep_(\d+)__"/g;
const deepMarker = (n: number) => `__deep_${n}__`;
const expandDeep = (text: string) => text.replace(DEEP, (_m, n) => "[".repeat(Number(n)) + "]".repeat(Number(n)));

const odd = fc.oneof(
  fc.constantFrom(null, true, [], {}, -1, 0, 1e308, -1e308, 2 ** 63, 0.5, "", " ", "\u0000", "\ud800", "\u202eabc", "👩🏽‍💻", "ÿ\u0301"),
  fc.constant("x".repeat(100_000)),
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.integer({ min: 1, max: 200 }).map((n) => deepMarker(n)),
);

type Node = { parent: Record<string, unknown> | unknown[]; key: string | number };
function nodes(value: unknown): { objects: Record<string, unknown>[]; leaves: Node[] } {
  const objects: Record<string, unknown>[] = [];
  const leaves: Node[] = [];
  const walk = (v: unknown) => {
    if (Array.isArray(v)) {
      v.forEach((child, i) => {
        if (child && typeof child === "object") walk(child);
        else leaves.push({ parent: v, key: i });
      });
    } else if (v && typeof v === "object") {
      const record = v as Record<string, unknown>;
      objects.push(record);
      for (const [k, child] of Object.entries(record)) {
        if (child && typeof child === "object") walk(child);
        leaves.push({ parent: record, key: k });
      }
    }
  };
  walk(value);
  return { objects, leaves };
}

/** One mutation of a generated body: deep nesting added at some object, or some value replaced by an odd one. */
const mutation = fc.oneof(
  fc.constant((v: unknown) => v),
  {
    weight: 2,
    arbitrary: fc
      .record({
        at: fc.nat(),
        depth: fc.oneof({ arbitrary: fc.constantFrom(64, 65, 1_001, 20_000, 20_000), weight: 3 }, fc.integer({ min: 1, max: 300 })),
      })
      .map(({ at, depth }) => (v: unknown) => {
        const { objects } = nodes(v);
        const target = objects[at % Math.max(objects.length, 1)];
        if (target) target.fz = deepMarker(depth);
        return v;
      }),
  },
  fc.record({ at: fc.nat(), value: odd }).map(({ at, value }) => (v: unknown) => {
    const { leaves } = nodes(v);
    const leaf = leaves[at % Math.max(leaves.length, 1)];
    if (!leaf) return value;
    (leaf.parent as Record<string | number, unknown>)[leaf.key] = value;
    return v;
  }),
);

type Encoded = { body: BodyInit; type?: string; text: string };
function encode(value: unknown, as: "json" | "form" | "multipart"): Encoded {
  if (as === "json" || !value || typeof value !== "object" || Array.isArray(value)) {
    const text = expandDeep(JSON.stringify(value) ?? "null");
    return { body: text, type: "application/json", text };
  }
  const fields = Object.entries(value).map(([k, v]) => [k, expandDeep(typeof v === "string" ? v : (JSON.stringify(v) ?? ""))] as const);
  if (as === "form") {
    const text = new URLSearchParams(fields.map(([k, v]) => [k, v])).toString();
    return { body: text, type: "application/x-www-form-urlencoded", text };
  }
  const form = new FormData();
  for (const [k, v] of fields) form.append(k, v);
  return { body: form, text: `multipart ${JSON.stringify(fields).slice(0, 300)}` };
}

const WA_ID = "4915100000077";
/** Valid bodies to mutate besides the generated ones, where the schema alone rarely yields one. */
const EXAMPLES: Record<string, unknown[]> = {
  "POST /api/v1/messages/": [
    { wa_id: WA_ID, text: { body: "hi" } },
    { wa_id: WA_ID, type: "contacts", contacts: [{ name: { formatted_name: "x" } }] },
    { wa_id: WA_ID, type: "interactive", interactive: { type: "button", action: { buttons: [] }, body: { text: "x" } } },
    { wa_id: WA_ID, type: "template", template: { name: "t", language: { code: "en" }, components: [{ type: "body" }] } },
    { wa_id: WA_ID, type: "location", location: { latitude: 1, longitude: 2 } },
  ],
  "POST /api/v1/users/": [{ username: "fuzzed", email: "f@example.com", profile: { role: "user" } }],
  "PATCH /api/v1/users/{id}/": [{ first_name: "x", permissions: { can_use_tags: true } }],
  "POST /api/v1/mark_as_received/": [{ timestamp: 1700000000, customer_wa_id: WA_ID }],
  "POST /api/v1/media/": [{ file_encoded: "aGVsbG8=", mime_type: "text/plain" }],
  "POST /api/v2/contacts.json": [
    { name: "Ana", language: "por", urns: ["tel:+558299331122", "whatsapp:558299331122"], groups: ["Fuzz"], fields: { nick: "x" } },
  ],
  "POST /api/v2/fields.json": [{ label: "Nick", value_type: "text" }],
  "POST /api/v2/groups.json": [{ name: "Fuzz" }],
  "POST /api/public/customer/upsert/info": [
    { channel: "whatsapp", channel_phone_number: "+4915112345678", contact_phone_number: `+${WA_ID}`, contact_name: "Fuzz" },
  ],
  "POST /webhooks/contacts/{key}": [
    {
      contact: { phone: `+${WA_ID}`, name: "Fuzz", labels: "a, b", enhanced_data: { S: [{ text: "t", link: "x" }] } },
      overrideLabels: "true",
    },
    { contact: { phone: `+${WA_ID}` }, source_phone: "+4915112345678", assignee: "fuzz@example.com" },
    { flow_data: { source_phone: "+4915112345678", phone: `+${WA_ID}`, name: "F", flow_name: "f" } },
  ],
};

/** The contact dialects' writes, validated whole before anything is written. */
const CONTACT_WRITES = new Set([
  "POST /api/v2/contacts.json",
  "DELETE /api/v2/contacts.json",
  "POST /api/v2/fields.json",
  "POST /api/v2/groups.json",
  "DELETE /api/v2/groups.json",
  "POST /api/public/customer/upsert/info",
  "POST /webhooks/contacts/{key}",
]);

/** Row counts of the workspace's contact model (D1 read directly: nothing of the API's own reading). */
async function contactRows(workspaceId: string) {
  const tables = ["contacts", "contact_urns", "contact_fields", "contact_field_values", "contact_groups"];
  const counts = await env.DB.batch(
    tables.map((t) => env.DB.prepare(`SELECT count(*) AS n FROM ${t} WHERE workspace_id = ?`).bind(workspaceId)),
  );
  const members = await env.DB.prepare(
    "SELECT count(*) AS n FROM contact_group_members m JOIN contact_groups g ON g.id = m.group_id WHERE g.workspace_id = ?",
  )
    .bind(workspaceId)
    .first<{ n: number }>();
  const rows = counts.map((c) => (c.results[0] as { n: number } | undefined)?.n);
  return { ...Object.fromEntries(tables.map((t, i) => [t, rows[i]])), members: members?.n };
}

describe("fuzz: no 5xx, and every read still works afterwards", () => {
  it("for every operation of the OpenAPI document", async () => {
    const ws = await createWorkspace({ config: { app_secret: APP_SECRET, verify_token: VERIFY_TOKEN } });
    const admin = await createUser(ws, "admin");
    const other = await createUser(ws, "user");
    const waId = WA_ID;
    const seedMessage = textMessage(waId, "fuzz seed");
    await postWebhook(ws.inboxId, cloudEnvelope({ contacts: [contact(waId, "Fuzz")], messages: [seedMessage] }));
    const doc: Doc = (await callJson("/openapi.json")).body;
    const hints: Hints = { wa_id: fc.constant(waId), customer_wa_id: fc.constant(waId), message_id: fc.constant(seedMessage.id) };

    // Platform writes go to a workspace of their own, so they cannot unsign this inbox's webhooks.
    const spare = await createWorkspace();
    const apiKey = (await platform(`/workspaces/${ws.id}/api_keys`, { body: { name: "Fuzz" } })).body.key as string;
    const pathFor = (path: string) =>
      path
        .replace(
          /^\/platform\/v1\/workspaces\/\{id\}(\/inboxes\/\{inboxId\})?/,
          (_m, inbox) => `/platform/v1/workspaces/${spare.id}${inbox ? `/inboxes/${spare.inboxId}` : ""}`,
        )
        .replace("/api/v1/", `${ws.prefix}/`)
        .replace("/users/{id}/", `/users/${other.id}/`)
        .replace("{wa_id}", waId)
        .replace("{code}", "0".repeat(40))
        .replace("{key}", apiKey)
        .replace("{inboxId}", ws.inboxId)
        .replace("/media/{id}/", `/media/${crypto.randomUUID()}/`)
        .replace(/^\/(login|logout)\//, `/inboxes/${ws.inboxId}/$1/`)
        .replace("{id}", "1");
    // Logging out ends the token used: that operation gets a user of its own.
    const leaving = await createUser(ws, "user");
    const headersFor = (path: string): Record<string, string> =>
      path.startsWith("/platform/")
        ? { authorization: `Bearer ${PLATFORM_KEY}` }
        : path.startsWith("/api/public/")
          ? { "x-api-key": apiKey }
          : path.startsWith("/webhooks/contacts/")
            ? {}
            : { authorization: `Token ${path.endsWith("/auth/logout/") ? leaving.token : admin.token}` };

    const operations = Object.entries(doc.paths).flatMap(([path, byMethod]) =>
      Object.entries(byMethod).map(([method, op]) => ({ method: method.toUpperCase(), path, op })),
    );
    expect(operations.length).toBeGreaterThan(30);

    for (const { method, path, op } of operations) {
      const url = pathFor(path);
      const webhook = path.startsWith("/webhooks/whatsapp/");
      const schema = op.requestBody?.content["application/json"]?.schema;
      const queryParams = (op.parameters ?? []).filter((p) => p.in === "query");
      const body: fc.Arbitrary<unknown> = webhook
        ? fc.constant(null).map(() =>
            cloudEnvelope({
              contacts: [contact(waId, "Fuzz")],
              messages: [textMessage(waId, "fuzzed")],
              statuses: [{ id: seedMessage.id, status: "read", timestamp: "1700000000", errors: [{ code: 1, title: "x" }] }],
            }),
          )
        : schema
          ? fc.oneof(fromSchema(schema, doc, hints), ...(EXAMPLES[`${method} ${path}`] ?? []).map((e) => fc.constant(e)))
          : fc.constant(undefined);
      const query = fc.tuple(...queryParams.map((p) => fc.option(fc.oneof(fromSchema(p.schema, doc, hints).map(String), odd.map(String)))));
      const request = fc.record({
        body,
        mutate: mutation,
        as: fc.constantFrom("json", "json", "json", "form", "multipart" as const),
        query,
      });
      await fc.assert(
        fc.asyncProperty(request, async ({ body, mutate, as, query }) => {
          const search = new URLSearchParams();
          queryParams.forEach((p, i) => {
            const v = query[i];
            if (v !== null && v !== undefined) search.set(p.name, expandDeep(v));
          });
          const target = search.size ? `${url}?${search}` : url;
          const headers = headersFor(path);
          let encoded: Encoded | undefined;
          if (method !== "GET" && body !== undefined) {
            encoded = encode(mutate(structuredClone(body)), webhook ? "json" : as);
            if (encoded.type) headers["content-type"] = encoded.type;
            if (webhook) headers["x-hub-signature-256"] = await sign(encoded.text);
          }
          const guarded = CONTACT_WRITES.has(`${method} ${path}`);
          const before = guarded ? await contactRows(ws.id) : null;
          const res = await call(target, { method, raw: encoded?.body, headers });
          const answer = await res.text();
          const request = `${method} ${target} ${encoded?.type ?? ""} ${encoded?.text.slice(0, 500) ?? ""} → ${answer.slice(0, 300)}`;
          expect(res.status, request).toBeLessThan(500);
          // A refused contact write leaves nothing behind: no contact, URN, value, group or membership.
          if (before && res.status >= 400) expect(await contactRows(ws.id), request).toEqual(before);
        }),
        { seed: SEED, numRuns: RUNS_PER_OPERATION, interruptAfterTimeLimit: MS_PER_OPERATION, endOnFailure: true },
      );
    }

    // Read back: everything the run stored must still be readable by every list and detail.
    for (const { method, path } of operations) {
      if (
        method !== "GET" ||
        path.startsWith("/webhooks/") ||
        path.includes("{code}") ||
        path.includes("/media/") ||
        path.endsWith("/logout/")
      ) {
        continue;
      }
      for (const suffix of ["", path.endsWith("/") && !path.includes("{") ? "?limit=1000" : ""]) {
        const res = await call(`${pathFor(path)}${suffix}`, { headers: headersFor(path) });
        await res.arrayBuffer();
        // Lists must answer; details of ids the run may not have created (a profile photo
        // nobody uploaded, the billing meter while it is off) may be 404s, never 5xx.
        const mayBeAbsent = path.includes("{") || path.endsWith("/profile/photo/") || path === "/platform/v1/meter";
        expect(res.status, `read-back GET ${pathFor(path)}${suffix}`).toBeLessThan(mayBeAbsent ? 500 : 400);
      }
    }
  }, 180_000);
});
