import type { Context } from "hono";
import type { AppEnv } from "../../context";
import { businessProfileFor } from "../../providers/business-profile";
import { inboxSecrets } from "../../services/inboxes";
import { sandboxStore } from "./sandbox-store";
import { type ProfileStore, relay } from "./store";
import { upstreamStore } from "./upstream-store";

/** The profile store of the request's inbox: its upstream's, or (sandbox) our own. */
export async function profileStore(c: Context<AppEnv>): Promise<ProfileStore> {
  const inbox = c.get("inbox");
  const api = await relay("read", async () => businessProfileFor({ ...inbox, secrets: await inboxSecrets(c.env, inbox) }));
  return api ? upstreamStore(c.get("db"), inbox.id, api) : sandboxStore(c.get("db"), c.env.MEDIA, inbox.id);
}
