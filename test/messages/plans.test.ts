import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { queryPlan } from "../helpers/plans";

const plan = (sql: string, ...params: unknown[]) => queryPlan({ sql, params });

/** The message indexes earn their bytes (about 745 per text message in all): each lookup below reads one index alone. */
describe("message query plans", () => {
  it("counts a chat's unread customer messages on messages_chat_idx alone (from_us rides in it)", async () => {
    // The `new_messages` subquery of src/db/queries/chats.ts.
    const q = await plan(
      "SELECT count(*) FROM messages n WHERE n.inbox_id = ? AND n.wa_id = ? AND n.from_us = 0 AND n.timestamp > ?",
      "i",
      "w",
      0,
    );
    expect(q).toMatch(/^SEARCH n USING COVERING INDEX messages_chat_idx \(inbox_id=\? AND wa_id=\? AND timestamp>\?\)$/);
  });

  it("finds a media id's messages on the partial messages_media_idx, which holds only messages with media", async () => {
    // mediaInReadableChat (src/db/queries/messages.ts) and orphanedMedia (purge.ts).
    expect(await plan("SELECT 1 FROM messages m WHERE m.inbox_id = ? AND m.media_id = ? LIMIT 1", "i", "m")).toMatch(
      /USING COVERING INDEX messages_media_idx \(inbox_id=\? AND media_id=\?\)/,
    );
    const { results } = await env.DB.prepare("SELECT sql FROM sqlite_master WHERE name = 'messages_media_idx'").all<{ sql: string }>();
    expect(results[0]?.sql).toMatch(/WHERE "messages"\."media_id" IS NOT NULL$/);
  });

  it("reads a page's messages by id through the rowid, not by walking the inbox on an index", async () => {
    // messagesByIds (src/db/queries/messages.ts): a chat page's last messages, 20 of them.
    const ids = Array.from({ length: 20 }, (_, i) => i + 1);
    const q = (from: string) =>
      plan(`SELECT m.id, m.payload FROM ${from} WHERE m.inbox_id = ? AND m.id IN (${ids.map(() => "?").join(", ")})`, "i", ...ids);
    expect(await q("messages m")).toMatch(/messages_chat_idx \(inbox_id=\?\)/);
    expect(await q("messages m NOT INDEXED")).toMatch(/^SEARCH m USING INTEGER PRIMARY KEY \(rowid=\?\)$/);
  });

  it("keys messages by a plain rowid: no AUTOINCREMENT counter written per insert", async () => {
    const { results } = await env.DB.prepare("SELECT sql FROM sqlite_master WHERE name = 'messages'").all<{ sql: string }>();
    expect(results[0]?.sql).toMatch(/`id` integer PRIMARY KEY NOT NULL/);
    expect(results[0]?.sql).not.toMatch(/AUTOINCREMENT/i);
  });
});
