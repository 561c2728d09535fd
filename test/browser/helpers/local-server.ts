import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * An HTTP server on this machine for the Worker to call (`npm start` allows loopback URLs
 * through `WEBHOOK_LOCAL_URLS`): a webhook subscriber, a contact directory. It keeps every
 * request and answers what `answer` says (by default 200 "received").
 */
export type Received = { url: URL; headers: IncomingHttpHeaders; body: string };
type Answer = { status: number; body: string; type?: string };

export async function startLocalServer(answer: (request: Received) => Answer = () => ({ status: 200, body: "received" })) {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (chunk: string) => {
      body += chunk;
    });
    req.on("end", () => {
      const request = { url: new URL(req.url ?? "/", "http://127.0.0.1"), headers: req.headers, body };
      received.push(request);
      const reply = answer(request);
      res.writeHead(reply.status, { "content-type": reply.type ?? "text/plain" });
      res.end(reply.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
