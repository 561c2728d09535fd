import type { Db } from "./db/client";
import type { Inbox } from "./db/queries/inboxes";
import type { User } from "./db/queries/users";

export type AuthMethod = "token" | "session" | "provider";

/**
 * Who a request acts for: a user (by token, session or provider key), or a workspace API
 * key (contact sync: seed 003's `x-api-key`, the contact webhook's URL), which acts for
 * the workspace and never passes for a user.
 */
export type Principal =
  /** `groupIds`: the user's groups, read with the credential (absent when the credential's query did not read them). */
  { kind: "user"; user: User; via: AuthMethod; groupIds?: number[] } | { kind: "api_key"; workspaceId: string; keyId: string };

/** Hono environment shared by every sub-app. */
export type AppEnv = {
  Bindings: Env;
  Variables: {
    requestId: string;
    db: Db;
    /** The inbox the request addresses (API routes only). */
    inbox: Inbox;
    /** `https://host` plus `/inboxes/{id}` when the inbox was addressed by path: the base of absolute URLs. */
    baseUrl: string;
    /** Null only on public routes: every other route is refused without one. */
    principal: Principal | null;
  };
};
