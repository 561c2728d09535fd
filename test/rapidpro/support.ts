import { env } from "cloudflare:workers";

import { expect } from "vitest";
import { callJson, type RequestOptions } from "../helpers/api";
import { createUser, createWorkspace, type TestUser } from "../helpers/factories";

/** RapidPro v2 test worlds: a workspace with an admin and a read-only user, and rows written straight into D1. */

export async function v2World() {
  const ws = await createWorkspace();
  const admin = await createUser(ws, "admin");
  const viewer = await createUser(ws, "user");
  const v2 = (path: string, options: RequestOptions = {}, as: TestUser = admin) => callJson(path, { token: as.token, ...options });
  return { ws, admin, viewer, v2 };
}

/** Runs statements in batches of `size` (each statement well within D1's 100 bound parameters). */
async function inBatches(statements: D1PreparedStatement[], size = 50) {
  for (let i = 0; i < statements.length; i += size) await env.DB.batch(statements.slice(i, i + size));
}

/** `n` groups, oldest first, one microsecond apart from `from`. */
export async function insertGroups(workspaceId: string, n: number, from = 1_600_000_000_000_000, memberCount = 0): Promise<string[]> {
  const uuids = Array.from({ length: n }, () => crypto.randomUUID());
  await inBatches(
    uuids.map((uuid, i) =>
      env.DB.prepare(
        "INSERT INTO contact_groups (uuid, workspace_id, name, name_key, member_count, created_on) VALUES (?, ?, ?, ?, ?, ?)",
      ).bind(uuid, workspaceId, `Group ${i}`, `group ${i}`, memberCount, from + i),
    ),
  );
  return uuids;
}

/** `n` text fields `f0`…, oldest first. */
export async function insertFields(workspaceId: string, n: number, from = 1_600_000_000_000_000): Promise<string[]> {
  const keys = Array.from({ length: n }, (_, i) => `f${i}`);
  await inBatches(
    keys.map((key, i) =>
      env.DB.prepare(
        "INSERT INTO contact_fields (workspace_id, key, label, label_key, value_type, identifier, pinned, created_on) VALUES (?, ?, ?, ?, 'text', 0, 0, ?)",
      ).bind(workspaceId, key, `F${i}`, `f${i}`, from + i),
    ),
  );
  return keys;
}

/** `n` contacts (one statement each); their ids and uuids, in order. */
export async function insertContacts(workspaceId: string, n: number, modifiedOn = 1_600_000_000_000_000) {
  const uuids = Array.from({ length: n }, () => crypto.randomUUID());
  await inBatches(
    uuids.map((uuid) =>
      env.DB.prepare("INSERT INTO contacts (uuid, workspace_id, name, created_on, modified_on) VALUES (?, ?, ?, ?, ?)").bind(
        uuid,
        workspaceId,
        "Someone",
        modifiedOn,
        modifiedOn,
      ),
    ),
    100,
  );
  const rows = await contactRows(uuids);
  return uuids.map((uuid) => rows.get(uuid) as ContactRow);
}

type ContactRow = { id: number; uuid: string; modified_on: number };

export async function contactRows(uuids: string[]): Promise<Map<string, ContactRow>> {
  const out = new Map<string, ContactRow>();
  for (let i = 0; i < uuids.length; i += 90) {
    const part = uuids.slice(i, i + 90);
    const { results } = await env.DB.prepare(`SELECT id, uuid, modified_on FROM contacts WHERE uuid IN (${part.map(() => "?").join(",")})`)
      .bind(...part)
      .all<ContactRow>();
    for (const r of results) out.set(r.uuid, r);
  }
  return out;
}

export async function fieldId(workspaceId: string, key: string): Promise<number> {
  const row = await env.DB.prepare("SELECT id FROM contact_fields WHERE workspace_id = ? AND key = ?")
    .bind(workspaceId, key)
    .first<{ id: number }>();
  if (!row) throw new Error(`no field ${key}`);
  return row.id;
}

/** Stored values as the lead's contact writes store them: the text, its typed form as JSON, and the identity. */
export async function insertValues(
  workspaceId: string,
  field: number,
  values: { contactId: number; text: string; typed?: unknown; identity?: string | null }[],
) {
  await inBatches(
    values.map((v) =>
      env.DB.prepare(
        "INSERT INTO contact_field_values (contact_id, field_id, workspace_id, text, typed, identity) VALUES (?, ?, ?, ?, ?, ?)",
      ).bind(v.contactId, field, workspaceId, v.text, JSON.stringify(v.typed ?? v.text), v.identity ?? null),
    ),
    100,
  );
}

export async function storedValues(field: number): Promise<Map<number, { text: string; typed: unknown; identity: string | null }>> {
  const { results } = await env.DB.prepare("SELECT contact_id, text, typed, identity FROM contact_field_values WHERE field_id = ?")
    .bind(field)
    .all<{ contact_id: number; text: string; typed: string | null; identity: string | null }>();
  return new Map(
    results.map((r) => [r.contact_id, { text: r.text, typed: r.typed === null ? null : JSON.parse(r.typed), identity: r.identity }]),
  );
}

export async function addMembers(groupUuid: string, contactIds: number[]) {
  const group = await env.DB.prepare("SELECT id FROM contact_groups WHERE uuid = ?").bind(groupUuid).first<{ id: number }>();
  if (!group) throw new Error(`no group ${groupUuid}`);
  await inBatches(
    contactIds.map((id) => env.DB.prepare("INSERT INTO contact_group_members (group_id, contact_id) VALUES (?, ?)").bind(group.id, id)),
    100,
  );
  await env.DB.prepare("UPDATE contact_groups SET member_count = member_count + ? WHERE id = ?").bind(contactIds.length, group.id).run();
  return group.id;
}

/** Follows `next` from `path` to the end; every page's results, in order. */
export async function allPages(v2: Awaited<ReturnType<typeof v2World>>["v2"], path: string) {
  const pages: unknown[][] = [];
  let next: string | null = path;
  while (next) {
    const page: { status: number; body: { next: string | null; previous: null; results: unknown[] } } = await v2(next);
    expect(page.status).toBe(200);
    expect(page.body.previous).toBeNull();
    pages.push(page.body.results);
    next = page.body.next;
  }
  return pages;
}

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
