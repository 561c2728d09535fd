/** What a stubbed upstream received, read once so tests can compare it whole. */
export type Received = { method: string; url: string; headers: Record<string, string>; body: string };

export async function receive(request: Request): Promise<Received> {
  return {
    method: request.method,
    url: request.url,
    headers: Object.fromEntries(request.headers),
    body: await request.clone().text(),
  };
}
