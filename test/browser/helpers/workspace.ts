import { apiCall, tokenOf } from "./api";
import { type Platform, platform } from "./customer";

/**
 * A workspace of its own (platform API) with one sandbox inbox, reached under the inbox's
 * prefix `/inboxes/{id}/`: what a test sees there depends on nothing other tests did.
 */
export async function createWorkspace(env: Platform, name: string, phoneNumber: string) {
  const appSecret = `${name.toLowerCase().replace(/\W+/g, "-")}-app-secret`;
  const workspace = await platform(env, "/workspaces", { name });
  const inbox = await platform(env, `/workspaces/${workspace.id}/inboxes`, {
    name,
    provider: "sandbox",
    phone_number: phoneNumber,
    config: { app_secret: appSecret, verify_token: `${appSecret}-verify` },
  });
  const prefix = `/inboxes/${inbox.id}`;
  /** The API under the inbox's prefix, as `helpers/api` calls it. */
  const api = { base: `${env.base}${prefix}` };
  return {
    prefix,
    /** For `customerWrites` and friends: this inbox, signed with its secret. */
    customers: { ...env, inbox: { id: inbox.id as string, appSecret } },
    createUser: (role: "admin" | "user" | "app", username: string, password: string) =>
      platform(env, `/workspaces/${workspace.id}/users`, { username, password, email: `${username}@example.com`, role }),
    /** A user's API calls in this inbox. */
    as: async (credentials: { username: string; password: string }) => {
      const token = await tokenOf(api, credentials);
      return <T = Record<string, any>>(method: string, path: string, body?: unknown) => apiCall<T>(api, token, method, path, body);
    },
  };
}
