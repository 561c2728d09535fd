import type { Context } from "hono";
import { getCookie, setCookie } from "hono/cookie";
import { CSRF_COOKIE } from "../../middleware/auth";
import { randomHex } from "../../services/crypto";

/** Sets Django's `csrftoken` cookie (one year, readable by scripts) unless present; returns it. */
export function ensureCsrfCookie(c: Context): string {
  const existing = getCookie(c, CSRF_COOKIE);
  if (existing && /^[A-Za-z0-9]{32,64}$/.test(existing)) return existing;
  const token = randomHex(32);
  setCookie(c, CSRF_COOKIE, token, { path: "/", maxAge: 31449600, sameSite: "Lax" });
  return token;
}
