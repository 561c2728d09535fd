import { BASE } from "./api/base";
import { api, call, setToken } from "./api/client";
import { ApiError } from "./api/errors";
import type { User } from "./api/types";

/**
 * Who is using the app. Logging in here obtains the user's API token (`POST /auth/token/`),
 * which also authenticates the WebSocket and sets the media cookie; a browser that logged
 * in through the server's `/login/` form arrives with a session cookie instead.
 */
const STORAGE_KEY = `switchboard.token:${BASE || "/"}`;

export const APP_REFUSED =
  "This is an app (integration) account: it works through the API with its token, not in the web inbox. Log in as a person (admin or user).";

const currentUser = () => call(api.GET("/api/v1/users/current/"));

/** The saved token's user, else the session cookie's, else null (show the login form). */
export async function restoreSession(): Promise<User | null> {
  const saved = localStorage.getItem(STORAGE_KEY);
  setToken(saved);
  try {
    const user = await currentUser();
    if (user.profile.role === "app") throw new ApiError(403, APP_REFUSED);
    return user;
  } catch (e) {
    if (!(e instanceof ApiError) || e.status !== 403 || e.message === APP_REFUSED) throw e;
    if (!saved) return null;
    // The token was revoked elsewhere: forget it and see whether a session remains.
    localStorage.removeItem(STORAGE_KEY);
    return restoreSession();
  }
}

export async function logIn(username: string, password: string): Promise<User> {
  const { token } = await call(api.POST("/api/v1/auth/token/", { body: { username, password } }));
  setToken(token);
  try {
    const user = await currentUser();
    // Refused without revoking: the token belongs to an integration that keeps using it.
    if (user.profile.role === "app") throw new ApiError(403, APP_REFUSED);
    localStorage.setItem(STORAGE_KEY, token);
    return user;
  } catch (e) {
    setToken(null);
    throw e;
  }
}

/** Ends the credential in use (the token, or the session) on the server, then forgets it here. */
export async function logOut(): Promise<void> {
  try {
    await call(api.GET("/api/v1/auth/logout/"));
  } catch (e) {
    // Already ended elsewhere: nothing left to end.
    if (!(e instanceof ApiError) || e.status !== 403) throw e;
  } finally {
    localStorage.removeItem(STORAGE_KEY);
    setToken(null);
  }
}

export const usesToken = () => localStorage.getItem(STORAGE_KEY) !== null;
