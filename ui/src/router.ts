import { useEffect, useState } from "preact/hooks";
import { BASE } from "./api/base";

/**
 * A history-API router for a handful of routes: paths are the app's own (`/main/chat/{wa_id}`,
 * `/admin/`), below the inbox's base. The Worker answers index.html for every one of them,
 * so each is also a deep link that survives a reload.
 */
const listeners = new Set<() => void>();

export const appPath = () => location.pathname.slice(BASE.length) || "/";

export function navigate(path: string, { replace = false } = {}) {
  history[replace ? "replaceState" : "pushState"](null, "", `${BASE}${path}`);
  for (const listener of listeners) listener();
}

export function usePath(): string {
  const [path, setPath] = useState(appPath);
  useEffect(() => {
    const update = () => setPath(appPath());
    listeners.add(update);
    addEventListener("popstate", update);
    return () => {
      listeners.delete(update);
      removeEventListener("popstate", update);
    };
  }, []);
  return path;
}

export type Route = { name: "inbox" } | { name: "chat"; waId: string } | { name: "admin" } | { name: "not_found" };

export function matchRoute(path: string): Route {
  if (path === "/" || path === "/main" || path === "/main/") return { name: "inbox" };
  const chat = /^\/main\/chat\/([^/]+)\/?$/.exec(path);
  if (chat?.[1]) return { name: "chat", waId: decodeURIComponent(chat[1]) };
  if (/^\/admin(\/.*)?$/.test(path)) return { name: "admin" };
  return { name: "not_found" };
}

/** Same-tab navigation for plain clicks; modified clicks (new tab, …) keep the browser's behaviour. */
export function followLink(event: MouseEvent, path: string) {
  if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  event.preventDefault();
  navigate(path);
}

export const href = (path: string) => `${BASE}${path}`;
