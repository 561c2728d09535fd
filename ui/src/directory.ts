import { useEffect, useState } from "preact/hooks";
import { api, call } from "./api/client";
import { messageOf } from "./api/errors";
import type { Group, Tag, User } from "./api/types";

/**
 * The workspace's tags, users and groups, which filters, tag pickers and assignment
 * controls all name: loaded once per page and shared, reloaded when the admin panel
 * changes one of them (`reloadDirectory`). Every user may list all three.
 */
export type Directory = { tags: Tag[]; users: User[]; groups: Group[] };

const LIMIT = 1000;
let loading: Promise<Directory> | null = null;
const listeners = new Set<(d: Directory) => void>();

async function fetchDirectory(): Promise<Directory> {
  const [tags, users, groups] = await Promise.all([
    call(api.GET("/api/v1/tags/", { params: { query: { limit: LIMIT } } })),
    call(api.GET("/api/v1/users/", { params: { query: { limit: LIMIT } } })),
    call(api.GET("/api/v1/groups/", { params: { query: { limit: LIMIT } } })),
  ]);
  return { tags: tags.results, users: users.results, groups: groups.results };
}

export function reloadDirectory(): Promise<Directory> {
  const next = fetchDirectory();
  loading = next;
  next.then(
    (d) => {
      for (const listener of listeners) listener(d);
    },
    () => {
      if (loading === next) loading = null;
    },
  );
  return next;
}

/** The directory (null while loading) and the error that kept it from loading. */
export function useDirectory(): { directory: Directory | null; error: string | null } {
  const [directory, setDirectory] = useState<Directory | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    listeners.add(setDirectory);
    (loading ?? reloadDirectory()).then(setDirectory, (e) => setError(messageOf(e)));
    return () => {
      listeners.delete(setDirectory);
    };
  }, []);
  return { directory, error };
}

/** Forgets everything (logging out: the next person may see another workspace). */
export const forgetDirectory = () => {
  loading = null;
};
