import createClient, { type Middleware } from "openapi-fetch";
import { BASE } from "./base";
import { ApiError, errorText, NETWORK_ERROR } from "./errors";
import type { paths } from "./schema";

/**
 * The one way the app reaches the API: openapi-fetch typed by `schema.d.ts`, which
 * `npm run client` generates from the Worker's `/openapi.json`.
 */
export const api = createClient<paths>({ baseUrl: `${location.origin}${BASE}` });

let token: string | null = null;
/** The token the app logged in with; without one, the browser's session cookie is the credential. */
export const setToken = (value: string | null) => {
  token = value;
};
export const currentToken = () => token;

const cookie = (name: string) =>
  document.cookie
    .split("; ")
    .find((c) => c.startsWith(`${name}=`))
    ?.slice(name.length + 1);

/**
 * The newest D1 bookmarks the API answered (`x-d1-bookmark`: `DB=<bookmark>;SHARD_1=<bookmark>`,
 * one per database), sent back on every request so that reads served by read replicas still
 * see this tab's own writes. Answers may arrive out of order, so each database keeps its
 * newest; bookmarks are fixed width, so the newest is the greatest.
 */
const bookmarks = new Map<string, string>();
let bookmark: string | null = null;
export const BOOKMARK_HEADER = "x-d1-bookmark";
export function noteBookmark(value: string | null) {
  if (!value) return;
  for (const pair of value.split(";")) {
    const [binding, newest] = pair.split("=");
    if (!binding || !newest) continue;
    const had = bookmarks.get(binding);
    if (!had || newest > had) bookmarks.set(binding, newest);
  }
  bookmark = [...bookmarks].map(([binding, newest]) => `${binding}=${newest}`).join(";");
}

const credentials: Middleware = {
  onRequest({ request }) {
    for (const [name, value] of Object.entries(credentialHeaders())) request.headers.set(name, value);
    return request;
  },
  onResponse({ response }) {
    noteBookmark(response.headers.get(BOOKMARK_HEADER));
    return response;
  },
};
api.use(credentials);

/** Awaits one API call: its data, or an `ApiError` whose message says what went wrong in words. */
export async function call<T>(request: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  let result: { data?: T; error?: unknown; response: Response };
  try {
    result = await request;
  } catch {
    throw new ApiError(0, NETWORK_ERROR);
  }
  const { data, error, response } = result;
  if (error !== undefined || !response.ok) throw new ApiError(response.status, errorText(error, response.status));
  if (data === undefined) throw new ApiError(response.status, "The server answered without the expected data.");
  return data;
}

/** Awaits an API call that answers no body (204): nothing, or an `ApiError` in words. */
export async function callEmpty(request: Promise<{ error?: unknown; response: Response }>): Promise<void> {
  let result: { error?: unknown; response: Response };
  try {
    result = await request;
  } catch {
    throw new ApiError(0, NETWORK_ERROR);
  }
  if (result.error !== undefined || !result.response.ok)
    throw new ApiError(result.response.status, errorText(result.error, result.response.status));
}

/**
 * The headers every request carries: the credential (a token, or the session cookie with
 * Django's CSRF header, which session requests that write need, `mark_as_received` GETs
 * too) and the newest bookmark.
 */
export function credentialHeaders(): Record<string, string> {
  const csrf = cookie("csrftoken");
  return {
    Accept: "application/json",
    ...(token ? { Authorization: `Token ${token}` } : csrf ? { "X-CSRFToken": csrf } : {}),
    ...(bookmark ? { [BOOKMARK_HEADER]: bookmark } : {}),
  };
}
