import { and, eq, sql } from "drizzle-orm";
import type { Db } from "../client";
import { ruleEngines, rules } from "../schema";

export type Rule = typeof rules.$inferSelect;
export type NewRule = Omit<typeof rules.$inferInsert, "id" | "inboxId" | "taggedKey">;
export type RuleEngine = typeof ruleEngines.$inferSelect;

export async function listRules(db: Db, inboxId: string, limit: number, offset: number) {
  const where = eq(rules.inboxId, inboxId);
  const [rows, [total]] = await db.batch([
    db.select().from(rules).where(where).orderBy(rules.id).limit(limit).offset(offset),
    db.select({ n: sql<number>`count(*)` }).from(rules).where(where),
  ]);
  return { rows, count: total?.n ?? 0 };
}

export async function getRule(db: Db, inboxId: string, id: number): Promise<Rule | undefined> {
  return db
    .select()
    .from(rules)
    .where(and(eq(rules.inboxId, inboxId), eq(rules.id, id)))
    .get();
}

/** An inbox's rules by trigger: the tag id, 0 for a fresh incoming message in a chat nobody is assigned to. */
export async function rulesByTrigger(db: Db, inboxId: string): Promise<Map<number, Rule>> {
  const rows = await db.select().from(rules).where(eq(rules.inboxId, inboxId));
  return new Map(rows.map((r) => [r.taggedKey, r]));
}

/** Inserts or updates a rule (the unique trigger index refuses a second rule for one trigger). */
export async function saveRule(db: Db, inboxId: string, id: number | null, values: NewRule): Promise<Rule | undefined> {
  const row = { ...values, taggedKey: values.taggedWith ?? 0 };
  return id === null
    ? db
        .insert(rules)
        .values({ ...row, inboxId })
        .returning()
        .get()
    : db
        .update(rules)
        .set(row)
        .where(and(eq(rules.inboxId, inboxId), eq(rules.id, id)))
        .returning()
        .get();
}

export async function deleteRule(db: Db, inboxId: string, id: number): Promise<void> {
  await db.delete(rules).where(and(eq(rules.inboxId, inboxId), eq(rules.id, id)));
}

export async function getRuleEngine(db: Db, inboxId: string): Promise<RuleEngine | undefined> {
  return db.select().from(ruleEngines).where(eq(ruleEngines.inboxId, inboxId)).get();
}

export async function saveRuleEngine(db: Db, engine: RuleEngine): Promise<void> {
  await db.insert(ruleEngines).values(engine).onConflictDoUpdate({ target: ruleEngines.inboxId, set: engine });
}
