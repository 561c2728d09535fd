/**
 * Where this inbox lives: `""` on the API host (bare `/api/v1/` is the default inbox) or
 * `/inboxes/{id}` when the app is opened under an inbox's own prefix. Every API path,
 * the WebSocket and the app's own routes are relative to it.
 */
export const inboxBase = (path = location.pathname): string => /^\/inboxes\/[^/]+/.exec(path)?.[0] ?? "";

export const BASE = inboxBase();

/** The inbox's WebSocket endpoint (`/ws/` or `/inboxes/{id}/ws/`, see the README's Realtime section). */
export const socketUrl = () => `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}${BASE}/ws/`;

/** A media file of this inbox, by its id (the API rewrites every media link to this path). */
export const mediaUrl = (id: string) => `${BASE}/api/v1/media/${encodeURIComponent(id)}/`;
