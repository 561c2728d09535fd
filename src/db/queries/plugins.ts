import { and, asc, eq } from "drizzle-orm";
import type { Db } from "../client";
import { plugins } from "../schema";

export type InstalledPlugin = typeof plugins.$inferSelect;

export const listPlugins = (db: Db, inboxId: string): Promise<InstalledPlugin[]> =>
  db.select().from(plugins).where(eq(plugins.inboxId, inboxId)).orderBy(asc(plugins.type));

export const getPlugin = (db: Db, inboxId: string, type: string): Promise<InstalledPlugin | undefined> =>
  db
    .select()
    .from(plugins)
    .where(and(eq(plugins.inboxId, inboxId), eq(plugins.type, type)))
    .get();

/** Installs a plugin; undefined when the inbox has one of this type already. */
export async function installPlugin(db: Db, inboxId: string, type: string, config: Record<string, unknown>) {
  const [row] = await db.insert(plugins).values({ inboxId, type, config }).onConflictDoNothing().returning();
  return row;
}

export async function uninstallPlugin(db: Db, inboxId: string, type: string): Promise<boolean> {
  const gone = await db
    .delete(plugins)
    .where(and(eq(plugins.inboxId, inboxId), eq(plugins.type, type)))
    .returning({ type: plugins.type });
  return gone.length > 0;
}
