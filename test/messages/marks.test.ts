import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createDb, shardOf } from "../../src/db/client";
import { receivedMarkStatement, setReceivedMark } from "../../src/db/queries/chats";
import { createWorkspace, inboxShard } from "../helpers/factories";

describe("received marks", () => {
  it("only move forward when asked to, writing nothing otherwise, and are set as given when not", async () => {
    const ws = await createWorkspace();
    const db = createDb(env);
    const shard = await inboxShard(ws.inboxId);
    const mark = async () =>
      (
        await shard
          .prepare("SELECT timestamp FROM received_marks WHERE user_id = 7 AND inbox_id = ? AND wa_id = 'w'")
          .bind(ws.inboxId)
          .first<{ timestamp: number }>()
      )?.timestamp;
    await setReceivedMark(db, 7, ws.inboxId, "w", 100, true);
    expect(await mark()).toBe(100);
    // Not forward: nothing written (a row written is billed).
    const held = await receivedMarkStatement(await shardOf(db, ws.inboxId), 7, ws.inboxId, "w", 50, true).run();
    expect(held.meta.changes).toBe(0);
    expect(await mark()).toBe(100);
    await setReceivedMark(db, 7, ws.inboxId, "w", 150, true);
    expect(await mark()).toBe(150);
    await setReceivedMark(db, 7, ws.inboxId, "w", 50, false);
    expect(await mark()).toBe(50);
  });
});
