/**
 * The billing meter (`BILLING_METER = "on"`, set by the benchmark only): counts the units
 * Cloudflare bills, as the runtime reports them, so the bench can price each path per
 * message. D1 rows come from each result's `meta`; the inbox objects' SQLite rows from their
 * cursors; Durable Object requests, Queue messages and Worker requests are counted where they
 * happen. Off, every function here hands its argument back untouched.
 *
 * Counters live in the isolate: locally the Worker, its queue consumers and the inbox objects
 * share one, so `GET /platform/meter` sees them all. Deployed, use Cloudflare's analytics.
 */
export type Units = {
  workerRequests: number;
  d1Queries: number;
  d1RowsRead: number;
  d1RowsWritten: number;
  objectRequests: number;
  objectRowsRead: number;
  objectRowsWritten: number;
  queueWrites: number;
  queueReads: number;
};

const zero = (): Units => ({
  workerRequests: 0,
  d1Queries: 0,
  d1RowsRead: 0,
  d1RowsWritten: 0,
  objectRequests: 0,
  objectRowsRead: 0,
  objectRowsWritten: 0,
  queueWrites: 0,
  queueReads: 0,
});

const totals = zero();
/** Cursors count rows as they are read; they are summed when the meter is read. */
let cursors: SqlStorageCursor<Record<string, SqlStorageValue>>[] = [];

export const meterOn = (env: { BILLING_METER?: string }) => env.BILLING_METER === "on";

/** The totals so far (cumulative; callers take differences), less the requests that read them. */
export function readMeter(): Units {
  totals.workerRequests--;
  for (const c of cursors) {
    totals.objectRowsRead += c.rowsRead;
    totals.objectRowsWritten += c.rowsWritten;
  }
  cursors = [];
  return { ...totals };
}

export const countWorkerRequest = () => {
  totals.workerRequests++;
};
export const countQueueReads = (n: number) => {
  totals.queueReads += n;
};

const UNWRAP = Symbol("unwrap");
const unwrap = (s: D1PreparedStatement): D1PreparedStatement => (s as unknown as Record<symbol, D1PreparedStatement>)[UNWRAP] ?? s;

function addMeta(result: D1Result | D1ExecResult | undefined) {
  const meta = (result as D1Result | undefined)?.meta;
  totals.d1Queries++;
  totals.d1RowsRead += meta?.rows_read ?? 0;
  totals.d1RowsWritten += meta?.rows_written ?? 0;
}

/** A statement that only reads: running it twice changes nothing. */
const readOnly = (query: string) =>
  /^\s*select\b/i.test(query) || (/^\s*with\b/i.test(query) && !/\b(insert|update|delete|replace)\b/i.test(query));

/**
 * `raw()` and `first()` drop the result's meta, so the meter runs them as `all()` and rebuilds
 * their answer. Rows as objects lose columns of the same name (a join's two `id`s), so a
 * read's `raw()` runs twice, as itself for the answer and as `all()` for the meter; a
 * write's answer is rebuilt (no write here returns equal names).
 */
function meteredStatement(s: D1PreparedStatement, query: string): D1PreparedStatement {
  return new Proxy(s, {
    get(target, key) {
      if (key === UNWRAP) return target;
      if (key === "bind") return (...values: unknown[]) => meteredStatement(target.bind(...values), query);
      if (key === "all" || key === "run")
        return async () => {
          const r = await target[key]();
          addMeta(r);
          return r;
        };
      if (key === "raw")
        return async (options?: { columnNames?: boolean }) => {
          if (readOnly(query)) {
            const [r, values] = await Promise.all([target.all(), target.raw(options as { columnNames: true })]);
            addMeta(r);
            return values;
          }
          const r = await target.all<Record<string, unknown>>();
          addMeta(r);
          const rows = r.results.map((row) => Object.values(row));
          return options?.columnNames ? [Object.keys(r.results[0] ?? {}), ...rows] : rows;
        };
      if (key === "first")
        return async (column?: string) => {
          const r = await target.all<Record<string, unknown>>();
          addMeta(r);
          const row = r.results[0];
          return row === undefined ? null : column === undefined ? row : row[column];
        };
      const value = Reflect.get(target, key);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

/** A D1 database (or session) whose every statement adds its rows to the meter. */
function meteredD1<T extends D1Database | D1DatabaseSession>(db: T): T {
  return new Proxy(db, {
    get(target, key) {
      if (key === "prepare") return (query: string) => meteredStatement(target.prepare(query), query);
      if (key === "batch")
        return async (statements: D1PreparedStatement[]) => {
          // The metered statements are proxies; D1's batch needs its own, so it gets them unwrapped.
          const results = await target.batch(statements.map(unwrap));
          for (const r of results) addMeta(r);
          return results;
        };
      if (key === "withSession")
        return (constraint?: string) => meteredD1((target as D1Database).withSession(constraint as D1SessionConstraint));
      const value = Reflect.get(target, key);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

function meteredQueue<T>(queue: Queue<T>): Queue<T> {
  return new Proxy(queue, {
    get(target, key) {
      if (key === "send")
        return (body: T, options?: QueueSendOptions) => {
          totals.queueWrites++;
          return target.send(body, options);
        };
      if (key === "sendBatch")
        return (messages: Iterable<MessageSendRequest<T>>, options?: QueueSendBatchOptions) => {
          const list = [...messages];
          totals.queueWrites += list.length;
          return target.sendBatch(list, options);
        };
      const value = Reflect.get(target, key);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

/** Every call on an inbox object's stub is one billed Durable Object request. */
function meteredNamespace(ns: DurableObjectNamespace): DurableObjectNamespace {
  return new Proxy(ns, {
    get(target, key) {
      const value = Reflect.get(target, key);
      if ((key !== "get" && key !== "getByName") || typeof value !== "function")
        return typeof value === "function" ? value.bind(target) : value;
      return (...args: unknown[]) => {
        const stub = Reflect.apply(value, target, args) as DurableObjectStub;
        return new Proxy(stub, {
          get(s, k) {
            // A stub answers every name, `then` too: left as is, the proxy would make it a thenable.
            if (k === "then") return undefined;
            const member = Reflect.get(s, k);
            if (typeof member !== "function") return member;
            return (...a: unknown[]) => {
              totals.objectRequests++;
              return Reflect.apply(member, s, a);
            };
          },
        });
      };
    },
  });
}

const isD1 = (v: unknown): v is D1Database =>
  typeof v === "object" && v !== null && "prepare" in v && "batch" in v && "exec" in v && "withSession" in v;
const isQueue = (v: unknown): v is Queue<unknown> => typeof v === "object" && v !== null && "send" in v && "sendBatch" in v;
const isNamespace = (v: unknown): v is DurableObjectNamespace => typeof v === "object" && v !== null && "idFromName" in v && "get" in v;

/** `env` with its D1 databases, queues and Durable Object namespaces metered (when the meter is on). */
export function meteredEnv<E extends object>(env: E): E {
  if (!meterOn(env as { BILLING_METER?: string })) return env;
  const out = { ...env } as Record<string, unknown>;
  for (const [k, v] of Object.entries(env)) {
    if (isD1(v)) out[k] = meteredD1(v);
    else if (isQueue(v)) out[k] = meteredQueue(v);
    else if (isNamespace(v)) out[k] = meteredNamespace(v);
  }
  return out as E;
}

/** An inbox object's SQLite storage whose cursors are counted (when the meter is on). */
export function meteredSql(sql: SqlStorage, env: { BILLING_METER?: string }): SqlStorage {
  if (!meterOn(env)) return sql;
  return new Proxy(sql, {
    get(target, key) {
      if (key === "exec")
        return (query: string, ...bindings: unknown[]) => {
          const cursor = target.exec(query, ...bindings);
          cursors.push(cursor);
          return cursor;
        };
      const value = Reflect.get(target, key);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}
