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

export type Seen = { url: string; method: string; headers: Record<string, string>; bytes: Uint8Array; json(): unknown };

/**
 * Like `recording`, for requests the Worker makes while serving a test's call: the body is
 * read inside the resolver (a request belongs to the I/O context that made it, so it cannot
 * be read after the call returned).
 */
export function seeing(resolver: HttpResponseResolver) {
  const requests: Seen[] = [];
  const handler: HttpResponseResolver = async (info) => {
    const bytes = new Uint8Array(await info.request.clone().arrayBuffer());
    requests.push({
      url: info.request.url,
      method: info.request.method,
      headers: Object.fromEntries(info.request.headers),
      bytes,
      json: () => JSON.parse(new TextDecoder().decode(bytes)),
    });
    return resolver(info);
  };
  return { requests, handler };
}
