/**
 * Every route the OpenAPI document describes, as patterns: the 405 answer for a known
 * path with the wrong method, and whether a request is public (`security: []`), so that
 * authentication is the default and a route is open only by saying so in its definition.
 */
type RouteInfo = { method: string; literal: boolean; isPublic: boolean; pattern: RegExp };
const table: RouteInfo[] = [];

type Definition = { type: string; route?: { method: string; path: string; security?: unknown[] } };

/** Filled once from the document's registry (`src/app.ts`). */
export function registerRoutes(definitions: Definition[]): void {
  for (const d of definitions) {
    if (d.type !== "route" || !d.route) continue;
    table.push({
      method: d.route.method.toUpperCase(),
      literal: !d.route.path.includes("{"),
      isPublic: Array.isArray(d.route.security) && d.route.security.length === 0,
      pattern: new RegExp(`^${d.route.path.replace(/\{[^}]+\}/g, "[^/]+")}$`),
    });
  }
}

/** The routes a path matches (`/inboxes/{id}` prefixes removed); a literal path (`/users/current/`) wins over `/users/{id}/`. */
export function routesFor(path: string): RouteInfo[] {
  const bare = path.replace(/^\/inboxes\/[^/]+(?=\/(api\/v1|login|logout)\/)/, "");
  const matches = table.filter((r) => r.pattern.test(bare));
  return matches.some((r) => r.literal) ? matches.filter((r) => r.literal) : matches;
}

/** Null when no route answers this method and path (the 404/405 handler does). */
export function isPublic(method: string, path: string): boolean | null {
  const route = routesFor(path).find((r) => r.method === method);
  return route ? route.isPublic : null;
}
