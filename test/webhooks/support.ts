import { HttpResponse, http } from "msw";
import { beforeEach, vi } from "vitest";
import { callJson } from "../helpers/api";
import type { TestUser, TestWorkspace } from "../helpers/factories";
import { upstream } from "../helpers/upstream";

export type Received = {
  id: string;
  timestamp: string;
  signature: string;
  headers: Record<string, string>;
  body: Record<string, any>;
  raw: string;
  url: string;
};

let n = 0;
type Subscriber = { received: Received[]; answer: (req: Received, count: number) => Response | Promise<Response> };
const subscribers = new Map<string, Subscriber>();

// One handler for every subscriber of the file, put back before each test (the shared
// setup resets handlers after each): a webhook created in an earlier test keeps getting
// events of later ones, and must keep being answered rather than fail as unexpected.
beforeEach(() => {
  upstream.use(
    http.post(/^https:\/\/hooks\d+\.example\.com\//, async ({ request }) => {
      const sub = subscribers.get(request.url);
      if (!sub) return new HttpResponse(null, { status: 404 });
      const raw = await request.text();
      const r = {
        id: request.headers.get("webhook-id") ?? "",
        timestamp: request.headers.get("webhook-timestamp") ?? "",
        signature: request.headers.get("webhook-signature") ?? "",
        headers: Object.fromEntries(request.headers),
        body: JSON.parse(raw),
        raw,
        url: request.url,
      };
      sub.received.push(r);
      return sub.answer(r, sub.received.length);
    }),
  );
});

/** A subscriber at a fresh public URL: records every delivery; `answer` decides the response (200 by default). */
export function subscriber(answer: Subscriber["answer"] = () => new HttpResponse(null, { status: 200 })) {
  const url = `https://hooks${n++}.example.com/hook`;
  const sub = { received: [] as Received[], answer };
  subscribers.set(url, sub);
  return { url, received: sub.received };
}

export async function createWebhook(ws: TestWorkspace, user: TestUser, body: Record<string, unknown>) {
  const res = await callJson(`${ws.prefix}/webhooks/waba/`, { token: user.token, body });
  if (res.status !== 201) throw new Error(`webhook: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { id: number; secret: string };
}

/** Waits (real queues, real consumer) until `check` passes. */
export const eventually = <T>(check: () => T | Promise<T>, timeout = 15_000) => vi.waitFor(check, { timeout, interval: 100 });
