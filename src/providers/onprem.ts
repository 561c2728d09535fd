import { z } from "zod";
import type { Provider, ProviderInbox } from "./provider";
import { call, ProviderError, providerError, readBytes, readJson, readSettings, segment, trimSlash } from "./upstream";

/**
 * The WhatsApp Business on-premises API, the format our own API speaks, so messages go
 * through unchanged. It authenticates with a bearer token: either configured (auth_token)
 * or obtained by logging in with username/password, which we cache per inbox.
 */

const Settings = z
  .object({
    api_base_url: z.string().min(1),
    auth_token: z.string().min(1).optional(),
    username: z.string().min(1).optional(),
    password: z.string().min(1).optional(),
  })
  .refine((s) => s.auth_token || (s.username && s.password), "Needs auth_token, or username and password.");

const LoginAnswer = z.looseObject({
  users: z.tuple([z.looseObject({ token: z.string().min(1), expires_after: z.string().optional() })], z.unknown()),
});
const SendAnswer = z.looseObject({
  messages: z.tuple([z.looseObject({ id: z.string().min(1) })], z.looseObject({ id: z.string() })),
});
const UploadAnswer = z.looseObject({ media: z.tuple([z.looseObject({ id: z.string().min(1) })], z.unknown()) });

/**
 * Login tokens live 7 days, and on-prem rate-limits logins, so every request of an inbox
 * (in this isolate) shares one. The promise is cached so concurrent sends log in once;
 * `credentials` makes an edited base URL or username log in again.
 */
type CachedLogin = { credentials: string; login: Promise<{ token: string; until: number }> };
const logins = new Map<string, CachedLogin>();
/** Renew a minute early, so a token does not expire between our check and the upstream's. */
const EXPIRY_MARGIN_MS = 60_000;
/** When expires_after is missing or unreadable; a 401 also forces a new login. */
const FALLBACK_TTL_MS = 60 * 60_000;

/**
 * Where and how to call an on-premises API for an inbox: the base and an authorized
 * fetch (configured token, or the cached login renewed on a 401). Every on-premises
 * capability (messages, profile, contacts) builds on this.
 */
export function onpremApi(inbox: Pick<ProviderInbox, "id" | "config" | "secrets">) {
  const settings = readSettings(inbox, Settings);
  const base = trimSlash(settings.api_base_url);
  const credentials = `${base}\n${settings.username}`;

  async function login(): Promise<{ token: string; until: number }> {
    const url = `${base}/v1/users/login`;
    const basic = base64(`${settings.username}:${settings.password}`);
    const answer = await readJson(await call(url, { method: "POST", headers: { Authorization: `Basic ${basic}` } }), url, LoginAnswer);
    const { token, expires_after } = answer.users[0];
    // On-prem writes "2018-03-01 15:29:26+00:00", which not every Date parser takes with the space.
    const expires = expires_after ? Date.parse(expires_after.replace(" ", "T")) : Number.NaN;
    return { token, until: Number.isNaN(expires) ? Date.now() + FALLBACK_TTL_MS : expires - EXPIRY_MARGIN_MS };
  }

  async function token(): Promise<string> {
    const cached = logins.get(inbox.id);
    if (cached && cached.credentials === credentials) {
      const current = await cached.login;
      if (current.until > Date.now()) return current.token;
    }
    if (logins.size > 1000) logins.clear();
    const entry: CachedLogin = { credentials, login: login() };
    logins.set(inbox.id, entry);
    // A failed login is not cached: the next request tries again.
    entry.login.catch(() => logins.get(inbox.id) === entry && logins.delete(inbox.id));
    return (await entry.login).token;
  }

  /** Drops the cached login if it still holds `bearer` (a concurrent request may already have renewed it). */
  async function forget(bearer: string): Promise<void> {
    const cached = logins.get(inbox.id);
    const current = await cached?.login.catch(() => undefined);
    if (current?.token === bearer && logins.get(inbox.id) === cached) logins.delete(inbox.id);
  }

  /** Calls with the bearer token; a rejected login token (on-prem restarted, user logged out) is renewed once. */
  async function authorized(url: string, init: UpstreamInit = {}): Promise<Response> {
    if (settings.auth_token) return call(url, { ...init, headers: { ...init.headers, Authorization: `Bearer ${settings.auth_token}` } });
    const withToken = (bearer: string) => call(url, { ...init, headers: { ...init.headers, Authorization: `Bearer ${bearer}` } });
    // A 401 from the login itself (wrong password) is final; only the call's 401 is retried.
    const bearer = await token();
    try {
      return await withToken(bearer);
    } catch (error) {
      if (!(error instanceof ProviderError && error.status === 401)) throw error;
      await forget(bearer);
      return withToken(await token());
    }
  }

  return { base, authorized };
}

export function onpremProvider(inbox: Pick<ProviderInbox, "id" | "config" | "secrets">): Provider {
  const { base, authorized } = onpremApi(inbox);
  return {
    async sendMessage(message) {
      const url = `${base}/v1/messages`;
      const init = { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(message) };
      const answer = await readJson(await authorized(url, init), url, SendAnswer);
      return { id: answer.messages[0].id, response: answer };
    },

    async uploadMedia(file) {
      const url = `${base}/v1/media`;
      const init = { method: "POST", headers: { "Content-Type": file.mimeType }, body: file.bytes };
      const answer = await readJson(await authorized(url, init), url, UploadAnswer);
      return { id: answer.media[0].id };
    },

    async downloadMedia(mediaId) {
      const url = `${base}/v1/media/${segment(mediaId)}`;
      const res = await authorized(url);
      const mimeType = res.headers.get("Content-Type");
      if (!mimeType) throw providerError(502, "The on-premises API sent media without a Content-Type.");
      return { bytes: await readBytes(res, url), mimeType };
    },
  };
}

/** Plain-object headers, so adding Authorization by spreading cannot drop any (as spreading a Headers would). */
export type UpstreamInit = { method?: string; headers?: Record<string, string>; body?: string | ArrayBuffer };

/** btoa only takes Latin-1; credentials are UTF-8. */
function base64(text: string): string {
  return btoa(Array.from(new TextEncoder().encode(text), (b) => String.fromCharCode(b)).join(""));
}
