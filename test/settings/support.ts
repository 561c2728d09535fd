import { env } from "cloudflare:workers";
import { createDb } from "../../src/db/client";
import { getStoredBusinessProfile } from "../../src/db/queries/business-profiles";
import { createUser, createWorkspace, type TestUser, type TestWorkspace } from "../helpers/factories";

/** Shared by the settings tests: one inbox per test and provider, with an admin and an agent. */

export const GRAPH = "https://graph.facebook.com/v21.0";
export const D360 = "https://waba-v2.360dialog.io";
export const ONPREM = "https://wa.profile.test:9090";
export const PHONE_ID = "106540352242922";
export const APP_ID = "584544743160774";
export const TOKEN = "EAAG-profile-token";
export const D360_KEY = "d360-profile-key";
export const ONPREM_TOKEN = "onprem-profile-token";
export const FIELDS = "about,address,description,email,profile_picture_url,websites,vertical";

export type World = { ws: TestWorkspace; admin: TestUser; agent: TestUser; path(suffix: string): string };

const CONFIGS = {
  sandbox: {},
  cloud: { phone_number_id: PHONE_ID, access_token: TOKEN, app_secret: "app-secret", verify_token: "verify", app_id: APP_ID },
  "cloud-without-app": { phone_number_id: PHONE_ID, access_token: TOKEN, app_secret: "app-secret", verify_token: "verify" },
  "360dialog": { api_key: D360_KEY },
  onprem: { api_base_url: ONPREM, auth_token: ONPREM_TOKEN },
} as const;

export async function world(kind: keyof typeof CONFIGS = "sandbox"): Promise<World> {
  const provider = kind === "cloud-without-app" ? "cloud" : kind;
  const ws = await createWorkspace({ provider, config: CONFIGS[kind] });
  return {
    ws,
    admin: await createUser(ws, "admin"),
    agent: await createUser(ws, "user"),
    path: (suffix) => `${ws.prefix}/settings/${suffix}`,
  };
}

export const stored = (inboxId: string) => getStoredBusinessProfile(createDb(env), inboxId);
