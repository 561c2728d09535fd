// The WebSocket part of `npm run bench`: many clients on one inbox object, each authenticated
// with the seed's token frame; arrival times of every inbound message per client.
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Opens `count` authenticated clients (in waves, so the handshakes do not time out). */
export async function openClients(url, token, count) {
  const clients = [];
  const open = (i) =>
    new Promise((resolve, reject) => {
      const socket = new WebSocket(url);
      const client = { socket, seen: new Map(), ready: false };
      const timer = setTimeout(() => reject(new Error(`client ${i}: no token answer within 30 s`)), 30_000);
      socket.addEventListener("open", () => socket.send(JSON.stringify({ token })));
      socket.addEventListener("message", (e) => {
        const at = performance.now();
        const frame = JSON.parse(e.data);
        if (frame.type === "token") {
          clearTimeout(timer);
          if (frame.status !== "success") return reject(new Error(`client ${i}: ${frame.message}`));
          client.ready = true;
          return resolve(client);
        }
        for (const m of frame.waba_payload?.incoming_messages ?? []) if (!client.seen.has(m.id)) client.seen.set(m.id, at);
      });
      socket.addEventListener("error", () => reject(new Error(`client ${i}: socket error`)));
    });
  for (let i = 0; i < count; i += 100) {
    clients.push(...(await Promise.all(Array.from({ length: Math.min(100, count - i) }, (_, k) => open(i + k)))));
  }
  return {
    clients,
    close: async () => {
      for (const c of clients) c.socket.close(1000);
      await sleep(500);
    },
  };
}

/** Waits until every client has every id (or the deadline); true when they all did. */
export async function allArrived(clients, ids, deadlineMs) {
  const deadline = performance.now() + deadlineMs;
  while (performance.now() < deadline) {
    if (clients.every((c) => ids.every((id) => c.seen.has(id)))) return true;
    await sleep(20);
  }
  return false;
}
