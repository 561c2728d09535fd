import { useEffect, useState } from "preact/hooks";
import { BASE } from "./api/base";

/**
 * A history-API router for a handful of routes: paths are the app's own (`/main/chat/{wa_id}`,
 * `/admin/`), below the inbox's base. The Worker answers index.html for every one of them,
 * so each is also a deep link that survives a reload.
 */
const listeners = new Set<() => void>();

export const appPath = () => location.pathname.slice(BASE.length) || "/";
/** The path with its query (`?at=` of a search hit), which a route may read. */
const appLocation = () => `${appPath()}${location.search}`;

export function navigate(path: string, { replace = false } = {}) {
  history[replace ? "replaceState" : "pushState"](null, "", `${BASE}${path}`);
  for (const listener of listeners) listener();
}

/** The app's path and query; `matchRoute` reads the path, `queryParam` the query. */
export function usePath(): string {
  const [path, setPath] = useState(appLocation);
  useEffect(() => {
    const update = () => setPath(appLocation());
    listeners.add(update);
    addEventListener("popstate", update);
    return () => {
      listeners.delete(update);
      removeEventListener("popstate", update);
    };
  }, []);
  return path;
}

export type AdminPage = "users" | "groups" | "tags" | "webhooks" | "rules" | "profile" | "templates";
export const ADMIN_PAGES: AdminPage[] = ["users", "groups", "tags", "webhooks", "rules", "profile", "templates"];

export type Route =
  | { name: "inbox" }
  | { name: "chat"; waId: string; at: number | null }
  | { name: "admin"; page: AdminPage | null }
  | { name: "account" }
  | { name: "contacts" }
  | { name: "not_found" };

export const queryParam = (location: string, name: string) => new URLSearchParams(location.split("?")[1] ?? "").get(name);

export function matchRoute(location: string): Route {
  const path = location.split("?")[0] ?? "/";
  if (path === "/" || path === "/main" || path === "/main/") return { name: "inbox" };
  const chat = /^\/main\/chat\/([^/]+)\/?$/.exec(path);
  if (chat?.[1]) {
    const at = Number(queryParam(location, "at"));
    return { name: "chat", waId: decodeURIComponent(chat[1]), at: Number.isFinite(at) && at > 0 ? at : null };
  }
  const admin = /^\/admin(?:\/([a-z]+))?\/?$/.exec(path);
  if (admin) {
    const page = ADMIN_PAGES.find((p) => p === admin[1]);
    return admin[1] && !page ? { name: "not_found" } : { name: "admin", page: page ?? null };
  }
  if (path === "/account" || path === "/account/") return { name: "account" };
  // Under `/main/` like threads, which the Worker also serves below an inbox's prefix.
  if (path === "/main/contacts" || path === "/main/contacts/") return { name: "contacts" };
  return { name: "not_found" };
}

/** Same-tab navigation for plain clicks; modified clicks (new tab, …) keep the browser's behaviour. */
export function followLink(event: MouseEvent, path: string) {
  if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  event.preventDefault();
  navigate(path);
}

export const href = (path: string) => `${BASE}${path}`;
