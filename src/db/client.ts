import { eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import * as schema from "./schema";

/**
 * Storage spans several D1 databases. The directory (`DB`) holds the workspaces, inboxes,
 * users, credentials, settings and workspace contacts; an inbox's traffic (chats, messages
 * and their search index, received marks, media, taggings, assignment history, provider
 * events, status payloads) lives on the shard its inbox row names: a D1 binding, placed when
 * the inbox is created (`placement` in `queries/inboxes.ts`). Every database carries the same schema, so one set of
 * migrations serves all; a shard simply leaves the directory's tables empty.
 *
 * Query modules take the directory handle and reach an inbox's shard through `shardOf`, so
 * no handler knows where an inbox lives.
 */
export const DIRECTORY = "DB";

// No \`schema\` option: it builds drizzle's relational-query config (unused here) on every
// handle, which cost a sixth of the Worker's CPU per webhook.
const bind = (d1: D1Database) => drizzle(d1, { casing: "snake_case" });
export type Db = ReturnType<typeof bind>;

/**
 * A drizzle query built once per isolate and run on any handle, its values passed as
 * `sql.placeholder`s: drizzle builds a query's SQL on every call, which was half the CPU of
 * the credential lookup every authenticated request makes. Each call gets the template with
 * its statement swapped for this handle's (the request's D1 session, the billing meter):
 * drizzle's D1 prepared query runs `this.stmt`, an internal that `test/api/prebuilt.test.ts`
 * checks on every drizzle upgrade.
 */
export function prebuilt<Q extends { getQuery(): { sql: string } }>(build: (db: Db) => Q): (db: Db) => Q {
  let template: Q | undefined;
  return (db) => {
    template ??= build(db);
    return Object.create(template, { stmt: { value: db.$client.prepare(template.getQuery().sql) } });
  };
}

/** Opens a D1 binding by name; a request opens each in its session (`middleware/d1-session.ts`). */
export type Open = (binding: string) => D1Database;

/** The databases one request (or job) has opened, each once. */
class Storage {
  readonly opened = new Map<string, Db>();
  constructor(private readonly open: Open) {}

  db(binding: string): Db {
    let db = this.opened.get(binding);
    if (!db) {
      db = bind(this.open(binding));
      storages.set(db, this);
      this.opened.set(binding, db);
    }
    return db;
  }
}

const storages = new WeakMap<Db, Storage>();

const boundD1 = (env: Env, binding: string) => {
  const d1 = (env as unknown as Record<string, D1Database | undefined>)[binding];
  return typeof d1?.prepare === "function" ? d1 : undefined;
};

/** Whether `env` binds a D1 database by this name. */
export const isD1Binding = (env: Env, binding: string): boolean => boundD1(env, binding) !== undefined;

/** A D1 binding of `env` by name (a shard named in the directory must be bound). */
export function d1Binding(env: Env, binding: string): D1Database {
  const d1 = boundD1(env, binding);
  if (!d1) throw new Error(`No D1 binding ${binding}: declare it in wrangler.toml`);
  return d1;
}

/** The directory: the handle every query module takes. */
export function createDb(env: Env, open: Open = (binding) => d1Binding(env, binding)): Db {
  return new Storage(open).db(DIRECTORY);
}

/** The bindings a handle's request has opened so far, with their handles. */
export const openedBy = (db: Db): ReadonlyMap<string, Db> => storageOf(db).opened;

function storageOf(db: Db): Storage {
  const storage = storages.get(db);
  if (!storage) throw new Error("a Db comes from createDb");
  return storage;
}

/** Shard placements are cached per isolate; a move waits out SHARD_TTL_MS (README, "Moving an inbox"). */
export const SHARD_TTL_MS = 10_000;
const placements = new Map<string, { shard: string; until: number }>();

/** Caches where an inbox lives, from an inbox row read anyway (the inbox lookups do). */
export function rememberShard(inbox: { id: string; shard: string }): void {
  if (placements.size > 10_000) placements.clear();
  placements.set(inbox.id, { shard: inbox.shard, until: Date.now() + SHARD_TTL_MS });
}

const cachedShard = (inboxId: string): string | undefined => {
  const hit = placements.get(inboxId);
  return hit && hit.until > Date.now() ? hit.shard : undefined;
};

/** The binding that holds an inbox's traffic (the directory for an unknown inbox: it finds nothing there). */
export async function shardName(db: Db, inboxId: string): Promise<string> {
  const hit = cachedShard(inboxId);
  if (hit) return hit;
  const directory = storageOf(db).db(DIRECTORY);
  const row = await directory.select({ shard: schema.inboxes.shard }).from(schema.inboxes).where(eq(schema.inboxes.id, inboxId)).get();
  if (!row) return DIRECTORY;
  rememberShard({ id: inboxId, shard: row.shard });
  return row.shard;
}

/** The handle of an inbox's shard, opened the way the directory handle was (in the request's session). */
export async function shardOf(db: Db, inboxId: string): Promise<Db> {
  return storageOf(db).db(await shardName(db, inboxId));
}

/** An inbox's shard as a raw D1 binding (the inbox object's write path: a cache hit opens nothing). */
export async function shardD1(env: Env, inboxId: string): Promise<D1Database> {
  return d1Binding(env, cachedShard(inboxId) ?? (await shardName(createDb(env), inboxId)));
}
