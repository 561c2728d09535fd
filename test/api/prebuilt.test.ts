import { env } from "cloudflare:workers";
import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { createDb, prebuilt } from "../../src/db/client";
import { workspaces } from "../../src/db/schema";

describe("prebuilt queries", () => {
  it("build once and run on the handle each call is given, with its own values", async () => {
    let builds = 0;
    const nameOf = prebuilt((db) => {
      builds++;
      return db
        .select({ name: workspaces.name })
        .from(workspaces)
        .where(eq(workspaces.id, sql.placeholder("id")))
        .prepare();
    });
    const a = crypto.randomUUID();
    const b = crypto.randomUUID();
    const db = createDb(env);
    await db.insert(workspaces).values([
      { id: a, name: "Prebuilt A" },
      { id: b, name: "Prebuilt B" },
    ]);
    expect(await nameOf(db).get({ id: a })).toEqual({ name: "Prebuilt A" });
    // A second handle whose binding records what it runs: the query goes through it, not the first.
    const ran: string[] = [];
    const recording = new Proxy(env.DB, {
      get: (target, key) =>
        key === "prepare"
          ? (query: string) => {
              ran.push(query);
              return target.prepare(query);
            }
          : Reflect.get(target, key).bind(target),
    });
    const other = createDb(env, () => recording);
    expect(await nameOf(other).get({ id: b })).toEqual({ name: "Prebuilt B" });
    expect(await nameOf(other).get({ id: crypto.randomUUID() })).toBeUndefined();
    expect(ran).toHaveLength(2);
    expect(ran[0]).toMatch(/from "workspaces"/);
    expect(builds).toBe(1);
  });
});
