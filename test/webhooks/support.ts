import { HttpResponse, http } from "msw";
import { vi } from "vitest";
import { callJson } from "../helpers/api";
import type { TestUser, TestWorkspace } from "../helpers/factories";
import { upstream } from "../helpers/upstream";

export type Received = { id: string; timestamp: string; signature: string; body: Record<string, any>; raw: string; url: string };

let n = 0;

/**
 * A subscriber at a fresh public URL: records every delivery; `answer` decides the
 * response (200 by default).
 */
export function subscriber(answer: (req: Received, count: number) => Response | Promise<Response> = () => new HttpResponse(null, { status: 200 })) {
  const url = `https://hooks${n++}.example.com/hook`;
  const received: Received[] = [];
  upstream.use(
    http.post(url, async ({ request }) => {
      const raw = await request.text();
      const r = {
        id: request.headers.get("webhook-id") ?? "",
        timestamp: request.headers.get("webhook-timestamp") ?? "",
        signature: request.headers.get("webhook-signature") ?? "",
        body: JSON.parse(raw),
        raw,
        url: request.url,
      };
      received.push(r);
      return answer(r, received.length);
    }),
  );
  return { url, received };
}

export async function createWebhook(ws: TestWorkspace, user: TestUser, body: Record<string, unknown>) {
  const res = await callJson(`${ws.prefix}/webhooks/waba/`, { token: user.token, body });
  if (res.status !== 201) throw new Error(`webhook: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { id: number; secret: string };
}

/** Waits (real queues, real consumer) until `check` passes. */
export const eventually = <T>(check: () => T | Promise<T>, timeout = 15_000) => vi.waitFor(check, { timeout, interval: 100 });
