import { ADMIN } from "./switchboard";

/**
 * The Integration API as a test's setup uses it (what the screen under test does not
 * do itself): a user's token, then JSON calls with it. Failures throw with the answer.
 */
type Env = { base: string };

export async function tokenOf(env: Env, credentials = ADMIN): Promise<string> {
  const res = await fetch(`${env.base}/api/v1/auth/token/`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(credentials),
  });
  const body = (await res.json()) as { token?: string };
  if (!res.ok || !body.token) throw new Error(`token for ${credentials.username}: ${res.status} ${JSON.stringify(body)}`);
  return body.token;
}

export async function apiCall<T = Record<string, any>>(env: Env, token: string, method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${env.base}${path}`, {
    method,
    headers: { authorization: `Token ${token}`, "content-type": "application/json", accept: "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return (text ? JSON.parse(text) : {}) as T;
}

/** An admin's API: `as(env)` then `.get(path)`, `.post(path, body)`, … */
export async function adminApi(env: Env) {
  const token = await tokenOf(env);
  return {
    token,
    get: <T = Record<string, any>>(path: string) => apiCall<T>(env, token, "GET", path),
    post: <T = Record<string, any>>(path: string, body: unknown) => apiCall<T>(env, token, "POST", path, body),
    patch: <T = Record<string, any>>(path: string, body: unknown) => apiCall<T>(env, token, "PATCH", path, body),
  };
}

/** A unique name per call, so tests sharing the Worker never see each other's tags, groups and users. */
let n = 0;
export const unique = (prefix: string) => `${prefix}${Date.now().toString(36)}${++n}`;
