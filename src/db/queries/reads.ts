import type { BatchItem } from "drizzle-orm/batch";
import type { Db } from "../client";

/**
 * A lookup as statements plus the reader of their results, so that several lookups a request
 * needs at once run as one D1 batch: one round trip, where separate queries each pay one.
 */
export type Read<T> = { statements: BatchItem<"sqlite">[]; read(results: unknown[]): T };

type Results<R extends readonly Read<unknown>[]> = { -readonly [K in keyof R]: R[K] extends Read<infer T> ? T : never };

/** The value of a lookup that needs no query (an empty list to look up, a check that does not apply). */
export const known = <T>(value: T): Read<T> => ({ statements: [], read: () => value });

/** Runs every lookup's statements in one batch and hands each its own results. */
export async function readAll<const R extends readonly Read<unknown>[]>(db: Db, reads: R): Promise<Results<R>> {
  const statements = reads.flatMap((r) => r.statements);
  const results: unknown[] = statements.length ? await db.batch(statements as [BatchItem<"sqlite">]) : [];
  let at = 0;
  return reads.map((r) => {
    const own = results.slice(at, at + r.statements.length);
    at += r.statements.length;
    return r.read(own);
  }) as Results<R>;
}

export async function readOne<T>(db: Db, read: Read<T>): Promise<T> {
  const [value] = await readAll(db, [read] as const);
  return value;
}
