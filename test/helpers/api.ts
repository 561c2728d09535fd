import { exports } from "cloudflare:workers";

export const ORIGIN = "http://switchboard.test";
export const PLATFORM_KEY = "test-platform-key-0123456789";

export type RequestOptions = {
  method?: string;
  body?: unknown;
  /** Sent as-is (string/FormData/URLSearchParams) instead of JSON. */
  raw?: BodyInit;
  token?: string;
  headers?: Record<string, string>;
};

/** Calls the Worker exactly as a client would, through its default export. */
export async function call(path: string, options: RequestOptions = {}): Promise<Response> {
  const headers = new Headers(options.headers);
  if (options.token) headers.set("authorization", `Token ${options.token}`);
  let body: BodyInit | undefined = options.raw;
  if (options.body !== undefined) {
    headers.set("content-type", "application/json");
    body = JSON.stringify(options.body);
  }
  const method = options.method ?? (body === undefined ? "GET" : "POST");
  const url = path.startsWith("http") ? path : `${ORIGIN}${path}`;
  return exports.default.fetch(new Request(url, { method, headers, body, redirect: "manual" }));
}

/** Like `call`, and returns status plus parsed JSON body. */
export async function callJson<T = any>(
  path: string,
  options: RequestOptions = {},
): Promise<{ status: number; body: T; headers: Headers }> {
  const res = await call(path, options);
  const text = await res.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    // not JSON: keep text, the assertion will show it
  }
  return { status: res.status, body: body as T, headers: res.headers };
}

export function platform(path: string, options: RequestOptions = {}) {
  return callJson(`/platform/v1${path}`, { ...options, headers: { authorization: `Bearer ${PLATFORM_KEY}`, ...options.headers } });
}
