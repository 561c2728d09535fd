import { env } from "cloudflare:workers";

/** What EXPLAIN QUERY PLAN says of a statement (as `.toSQL()` gives it), one line a step. */
export async function queryPlan(query: { sql: string; params: unknown[] }): Promise<string> {
  const { results } = await env.DB.prepare(`EXPLAIN QUERY PLAN ${query.sql}`)
    .bind(...query.params)
    .all<{ detail: string }>();
  return results.map((r) => r.detail).join("\n");
}
