import { env } from "cloudflare:workers";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { createDb } from "../../src/db/client";
import { workspaces } from "../../src/db/schema";
import { meteredEnv, readMeter } from "../../src/meter";
import { platform } from "../helpers/api";

const delta = async (run: () => Promise<unknown>) => {
  const before = readMeter();
  await run();
  const after = readMeter();
  return Object.fromEntries(Object.entries(after).map(([k, v]) => [k, v - before[k as keyof typeof before]]));
};

describe("billing meter", () => {
  it("is closed unless BILLING_METER is on", async () => {
    expect(await platform("/meter")).toMatchObject({ status: 404 });
    // Off, the bindings are handed back as they are.
    expect(meteredEnv(env).DB).toBe(env.DB);
  });

  it("counts D1 rows from drizzle's queries, batches and sessions, and queue messages, with answers unchanged", async () => {
    const metered = meteredEnv({ ...env, BILLING_METER: "on" });
    const db = createDb(metered as unknown as Env);
    const id = crypto.randomUUID();
    const wrote = await delta(() => db.insert(workspaces).values({ id, name: "Metered" }));
    // The row and its index entries.
    expect(wrote.d1Queries).toBe(1);
    expect(wrote.d1RowsWritten).toBeGreaterThanOrEqual(1);
    // raw() (drizzle's selects) and first() drop meta; the meter still sees the rows and the answer is the same.
    const read = await delta(async () => {
      expect(await db.select({ name: workspaces.name }).from(workspaces).where(sql`${workspaces.id} = ${id}`)).toEqual([
        { name: "Metered" },
      ]);
      expect(await metered.DB.prepare("SELECT name FROM workspaces WHERE id = ?").bind(id).first("name")).toBe("Metered");
      expect(await metered.DB.prepare("SELECT 1 AS a, 2 AS b").raw({ columnNames: true })).toEqual([
        ["a", "b"],
        [1, 2],
      ]);
      // A join's columns of the same name keep their places (the delivery consumer's delivery-with-webhook read).
      expect(await metered.DB.prepare("SELECT 1 AS id, 2 AS id").raw()).toEqual([[1, 2]]);
    });
    expect(read.d1Queries).toBe(4);
    expect(read.d1RowsRead).toBeGreaterThanOrEqual(1);
    const batched = await delta(() =>
      db.batch([
        db.update(workspaces).set({ name: "M2" }).where(sql`${workspaces.id} = ${id}`),
        db.select().from(workspaces).where(sql`${workspaces.id} = ${id}`),
      ]),
    );
    expect(batched.d1Queries).toBe(2);
    expect(batched.d1RowsWritten).toBeGreaterThanOrEqual(1);
    const session = metered.DB.withSession("first-primary");
    const inSession = await delta(() => session.prepare("SELECT name FROM workspaces WHERE id = ?").bind(id).all());
    expect(inSession.d1Queries).toBe(1);
    expect(session.getBookmark()).toBeTruthy();
    // A stand-in queue: a real one would hand these to the app's consumers.
    const sent: unknown[] = [];
    const queue = {
      send: async (b: unknown) => void sent.push(b),
      sendBatch: async (m: { body: unknown }[]) => void sent.push(...m.map((x) => x.body)),
    };
    const { Q } = meteredEnv({ BILLING_METER: "on", Q: queue as unknown as Queue<unknown> });
    const queued = await delta(async () => {
      await Q.send(1);
      await Q.sendBatch([{ body: 2 }, { body: 3 }]);
    });
    expect(queued.queueWrites).toBe(3);
    expect(sent).toEqual([1, 2, 3]);
  });
});
