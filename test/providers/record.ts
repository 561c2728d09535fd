import type { HttpResponseResolver } from "msw";

/** msw's request type, which is not the Workers `Request` type. */
type Received = Parameters<HttpResponseResolver>[0]["request"];

/**
 * Wraps an msw resolver so the test can afterwards assert on every request the
 * upstream received (clones, so the body is still readable after the resolver ran).
 */
export function recording(resolver: HttpResponseResolver) {
  const requests: Received[] = [];
  const handler: HttpResponseResolver = (info) => {
    requests.push(info.request.clone());
    return resolver(info);
  };
  return { requests, handler };
}

export const headersOf = (request: Received | undefined) => Object.fromEntries(request?.headers ?? []);
