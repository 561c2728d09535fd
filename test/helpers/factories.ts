import { env } from "cloudflare:workers";
import { shardD1 } from "../../src/db/client";
import { callJson, platform } from "./api";

let counter = 0;
const unique = (prefix: string) => `${prefix}${Date.now().toString(36)}${(counter++).toString(36)}`;

/** `shard`: the D1 database that holds the inbox's traffic (`src/db/client.ts`). */
export type TestWorkspace = { id: string; inboxId: string; prefix: string; shard: D1Database };

/** The D1 database that holds an inbox's traffic. */
export const inboxShard = (inboxId: string) => shardD1(env, inboxId);
export type TestUser = { id: number; username: string; password: string; token: string };

/** A fresh workspace with one sandbox inbox; `prefix` addresses its API. */
export async function createWorkspace(options: { provider?: string; config?: Record<string, unknown> } = {}): Promise<TestWorkspace> {
  const ws = await platform("/workspaces", { body: { name: unique("Workspace ") } });
  if (ws.status !== 201) throw new Error(`workspace: ${ws.status} ${JSON.stringify(ws.body)}`);
  const inbox = await platform(`/workspaces/${ws.body.id}/inboxes`, {
    body: { name: "Main", provider: options.provider ?? "sandbox", phone_number: "+4915112345678", config: options.config ?? {} },
  });
  if (inbox.status !== 201) throw new Error(`inbox: ${inbox.status} ${JSON.stringify(inbox.body)}`);
  return { id: ws.body.id, inboxId: inbox.body.id, prefix: `/inboxes/${inbox.body.id}/api/v1`, shard: await inboxShard(inbox.body.id) };
}

/** An active user with a password and a token. */
export async function createUser(
  ws: TestWorkspace,
  role: "admin" | "user" | "app" = "user",
  extra: Record<string, unknown> = {},
): Promise<TestUser> {
  const username = unique(role);
  const password = "correct-horse-battery";
  const created = await platform(`/workspaces/${ws.id}/users`, {
    body: { username, password, email: `${username}@example.com`, role, ...extra },
  });
  if (created.status !== 201) throw new Error(`user: ${created.status} ${JSON.stringify(created.body)}`);
  const token = await callJson(`${ws.prefix}/auth/token/`, { body: { username, password } });
  if (token.status !== 200) throw new Error(`token: ${token.status} ${JSON.stringify(token.body)}`);
  return { id: created.body.id, username, password, token: token.body.token };
}
