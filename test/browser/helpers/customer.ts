import { createHmac } from "node:crypto";

/**
 * Plays a WhatsApp customer against a sandbox inbox: Cloud API webhooks signed with its
 * `app_secret`, exactly as Meta delivers them (like `npm run inject`). Without `inbox`,
 * the inbox `npm start` bootstrapped.
 */
const SANDBOX_SECRET = "sandbox-app-secret";

export type Platform = { base: string; platformKey: string; inbox?: { id: string; appSecret: string } };

export async function platform(env: Platform, path: string, body?: unknown) {
  const res = await fetch(`${env.base}/platform/v1${path}`, {
    method: body ? "POST" : "GET",
    headers: { authorization: `Bearer ${env.platformKey}`, "content-type": "application/json" },
    body: body ? JSON.stringify(body) : undefined,
  });
  const json = (await res.json()) as Record<string, any>;
  if (!res.ok) throw new Error(`${path}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

export async function sandbox(env: Platform) {
  const workspaces = await platform(env, "/workspaces?limit=1");
  const workspaceId: string = workspaces.results[0].id;
  const inboxes = await platform(env, `/workspaces/${workspaceId}/inboxes?limit=1`);
  return { workspaceId, inboxId: inboxes.results[0].id as string };
}

export async function createUser(env: Platform, role: "admin" | "user" | "app", username: string, password: string) {
  const { workspaceId } = await sandbox(env);
  return platform(env, `/workspaces/${workspaceId}/users`, { username, password, email: `${username}@example.com`, role });
}

let sequence = 0;
const wamid = () => `wamid.browser.${Date.now()}.${++sequence}`;

/** One signed `messages` webhook from `waId` (named `name`); resolves once it is stored (200). */
async function deliver(env: Platform, waId: string, name: string, messages: Record<string, unknown>[]) {
  const inbox = env.inbox ?? { id: (await sandbox(env)).inboxId, appSecret: SANDBOX_SECRET };
  const body = JSON.stringify({
    object: "whatsapp_business_account",
    entry: [
      {
        id: "sandbox",
        changes: [
          { field: "messages", value: { messaging_product: "whatsapp", contacts: [{ profile: { name }, wa_id: waId }], messages } },
        ],
      },
    ],
  });
  const res = await fetch(`${env.base}/webhooks/whatsapp/${inbox.id}`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "x-hub-signature-256": `sha256=${createHmac("sha256", inbox.appSecret).update(body).digest("hex")}`,
    },
    body,
  });
  if (res.status !== 200) throw new Error(`webhook: ${res.status} ${await res.text()}`);
}

/** A customer message (`type` and its object as WhatsApp sends them), now; resolves with its id once stored. */
export async function customerWrites(
  env: Platform,
  waId: string,
  name: string,
  message: Record<string, unknown> = { type: "text", text: { body: "Hello" } },
): Promise<string> {
  const id = wamid();
  await deliver(env, waId, name, [{ from: waId, id, timestamp: String(Math.floor(Date.now() / 1000)), ...message }]);
  return id;
}

/**
 * Many customer messages in one webhook, oldest first, `secondsAgo` before now for the
 * first and one second apart; resolves with their ids once stored.
 */
export async function customerWritesMany(
  env: Platform,
  waId: string,
  name: string,
  bodies: string[],
  secondsAgo: number,
): Promise<string[]> {
  const start = Math.floor(Date.now() / 1000) - secondsAgo;
  const messages = bodies.map((body, i) => ({ from: waId, id: wamid(), timestamp: String(start + i), type: "text", text: { body } }));
  await deliver(env, waId, name, messages);
  return messages.map((m) => m.id);
}

/** A fresh customer number per test, so tests never see each other's chats. */
export const newCustomer = () => `4915${String(Date.now()).slice(-7)}${String(++sequence).padStart(2, "0")}`;
