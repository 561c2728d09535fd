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

const credentials: Middleware = {
  onRequest({ request }) {
    request.headers.set("Accept", "application/json");
    if (token) request.headers.set("Authorization", `Token ${token}`);
    // Session requests that write need Django's CSRF header (`mark_as_received` GETs too).
    const csrf = cookie("csrftoken");
    if (!token && csrf) request.headers.set("X-CSRFToken", csrf);
    return request;
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

/** The headers every request carries (the credential, and CSRF for a session), for the few calls made without openapi-fetch. */
export function credentialHeaders(): Record<string, string> {
  const csrf = cookie("csrftoken");
  return {
    Accept: "application/json",
    ...(token ? { Authorization: `Token ${token}` } : csrf ? { "X-CSRFToken": csrf } : {}),
  };
}
