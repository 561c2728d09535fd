import { env } from "cloudflare:workers";
import { drizzle } from "drizzle-orm/d1";
import { describe, expect, it } from "vitest";
import { createDb, type Db } from "../../src/db/client";
import { fieldsPage } from "../../src/db/queries/contact-fields";
import { groupsPage } from "../../src/db/queries/contact-groups";
import { contactStatements, type MessageRow } from "../../src/db/queries/ingest";
import type { Read } from "../../src/db/queries/reads";
import { contactByIdentities, contactsPage, identifierOwners } from "../../src/db/queries/workspace-contacts";
import { queryPlan } from "../helpers/plans";
import { v2World } from "../rapidpro/support";

/**
 * The contact lookups and pages use their indexes. The SQL is the SQL the code runs: each
 * query function is called on a drizzle handle whose logger records every statement; the
 * lookups that run in batches and the inbound write path's statements are read off the
 * statements they build.
 */

type Query = { sql: string; params: unknown[] };

/** A handle like `createDb`'s that records the statements it runs. */
function recordingDb() {
  const log: Query[] = [];
  const db: Db = drizzle(env.DB, { casing: "snake_case", logger: { logQuery: (sql, params) => log.push({ sql, params }) } });
  return { db, log };
}

/** Runs `run` and returns the one statement it sent that reads `table` (the query under test). */
async function recorded(run: (db: Db) => Promise<unknown>, table: string): Promise<Query> {
  const { db, log } = recordingDb();
  await run(db);
  const hits = log.filter((q) => new RegExp(`from "${table}"`).test(q.sql));
  expect(hits.map((q) => q.sql)).toHaveLength(1);
  return hits[0] as Query;
}

/** The one statement of a lookup that runs in batches (which the logger does not see). */
function statementOf(read: Read<unknown>): Query {
  expect(read.statements).toHaveLength(1);
  const { sql, params } = (read.statements[0] as unknown as { toSQL(): Query }).toSQL();
  return { sql, params };
}

describe("contact query plans", () => {
  it("finds a contact by URN through contact_urns_identity_idx, then the contact by its id", async () => {
    const q = statementOf(contactByIdentities(createDb(env), "w", ["whatsapp:4915112345678", "tel:+4915112345678"]));
    const plan = await queryPlan(q);
    expect(plan).toMatch(/^SEARCH contact_urns USING (COVERING )?INDEX contact_urns_identity_idx \(workspace_id=\? AND identity=\?\)$/m);
    expect(plan).toMatch(/^SEARCH contacts USING INTEGER PRIMARY KEY \(rowid=\?\)$/m);
    expect(plan).not.toMatch(/\bSCAN\b/);
  });

  it("finds an identifier value's holder through contact_field_values_identity_idx", async () => {
    const q = statementOf(identifierOwners(createDb(env), "w", [{ fieldId: 1, identity: "12.345.678-9" }]));
    expect(await queryPlan(q)).toMatch(
      /^SEARCH contact_field_values USING (COVERING )?INDEX contact_field_values_identity_idx \(workspace_id=\? AND field_id=\? AND identity=\?\)$/m,
    );
    expect(await queryPlan(q)).not.toMatch(/\bSCAN\b/);
  });

  it("pages a group's contacts in keyset order on contacts_modified_idx, members by the membership key", async () => {
    for (const position of [null, [1_700_000_000_000_000, 5] as [number, number]]) {
      const q = await recorded((db) => contactsPage(db, "w", { deleted: false, groupId: 7, reverse: false, position }, 251), "contacts");
      const plan = await queryPlan(q);
      expect({ position, plan }).toEqual({
        position,
        plan: expect.stringMatching(
          position
            ? /^SEARCH contacts USING INDEX contacts_modified_idx \(workspace_id=\? AND modified_on<\?\)$/m
            : /^SEARCH contacts USING INDEX contacts_modified_idx \(workspace_id=\?\)$/m,
        ),
      });
      expect(plan).toMatch(/SEARCH contact_group_members USING (COVERING )?INDEX sqlite_autoindex_contact_group_members_1 \(group_id=\?\)/);
      // The index gives the order: no sort of the workspace's contacts, no scan of any table.
      expect(plan).not.toMatch(/TEMP B-TREE FOR ORDER BY/);
      expect(plan).not.toMatch(/\bSCAN\b/);
    }
  });

  it("pages groups on contact_groups_created_idx and fields on contact_fields_created_idx, without a sort", async () => {
    for (const position of [null, [1_700_000_000_000_000, 5] as [number, number]]) {
      for (const reverse of [false, true]) {
        const groups = await queryPlan(await recorded((db) => groupsPage(db, "w", { reverse, position }, 251), "contact_groups"));
        const fields = await queryPlan(await recorded((db) => fieldsPage(db, "w", { reverse, position }, 251), "contact_fields"));
        const bound = position ? ` AND created_on${reverse ? ">" : "<"}\\?` : "";
        expect({ reverse, position, groups }).toEqual({
          reverse,
          position,
          groups: expect.stringMatching(
            new RegExp(`^SEARCH contact_groups USING INDEX contact_groups_created_idx \\(workspace_id=\\?${bound}\\)$`),
          ),
        });
        expect({ reverse, position, fields }).toEqual({
          reverse,
          position,
          fields: expect.stringMatching(
            new RegExp(`^SEARCH contact_fields USING INDEX contact_fields_created_idx \\(workspace_id=\\?${bound}\\)$`),
          ),
        });
      }
    }
  });

  it("reads a group's count from its member_count, never from its memberships", async () => {
    const q = await recorded((db) => groupsPage(db, "w", { reverse: false, position: null }, 251), "contact_groups");
    expect(q.sql).toContain('"member_count"');
    expect(q.sql).not.toContain("contact_group_members");
    expect(await queryPlan(q)).not.toMatch(/contact_group_members/);
    // The answer is the counter as stored: a counter set by hand is what v2 shows.
    const { ws, v2 } = await v2World();
    const made = await v2("/api/v2/groups.json", { body: { name: "Counted" } });
    expect(made.status).toBe(201);
    await env.DB.prepare("UPDATE contact_groups SET member_count = 123456 WHERE uuid = ?").bind(made.body.uuid).run();
    expect((await v2("/api/v2/groups.json")).body.results).toEqual([
      { uuid: made.body.uuid, name: "Counted", query: null, status: "ready", count: 123456 },
    ]);
    expect((await v2(`/api/v2/groups.json?uuid=${made.body.uuid}`)).body.results[0].count).toBe(123456);
    void ws;
  });

  it("links inbound customers to contacts through the URN and uuid indexes", async () => {
    const row: MessageRow = {
      wamid: "wamid.plan",
      waId: "4915112345678",
      fromUs: false,
      timestamp: 1_700_000_000,
      seq: 1,
      type: "text",
      payload: "{}",
      senderUserId: null,
      contextWamid: null,
      mediaId: null,
      searchText: "",
      contact: null,
      profileName: "Cleo",
    };
    const statements = contactStatements(env.DB, "inbox", [row]) as unknown as { statement: string; params: unknown[] }[];
    const linking = statements.filter((s) => /\b(contacts|contact_urns)\b/.test(s.statement));
    expect(linking).toHaveLength(3);
    const plans = await Promise.all(linking.map((s) => queryPlan({ sql: s.statement, params: s.params })));
    // Creating: "does any contact hold the number" is an index lookup per identity.
    expect(plans[0]).toMatch(/SEARCH u USING (COVERING )?INDEX contact_urns_identity_idx \(workspace_id=\? AND identity=\?\)/);
    // Its URN finds the new contact by uuid.
    expect(plans[1]).toMatch(/SEARCH contacts USING (COVERING )?INDEX contacts_uuid_idx \(uuid=\?\)/);
    // `last_seen_on` moves on the contact found through the URN index, by its id.
    expect(plans[2]).toMatch(/SEARCH contacts USING INTEGER PRIMARY KEY \(rowid=\?\)/);
    expect(plans[2]).toMatch(/SEARCH u USING (COVERING )?INDEX contact_urns_identity_idx \(workspace_id=\? AND identity=\?\)/);
    for (const plan of plans) expect(plan).not.toMatch(/^SCAN (contacts|u|contact_urns)\b/m);
  });
});
