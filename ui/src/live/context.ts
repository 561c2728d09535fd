import { createContext } from "preact";
import { useContext, useEffect, useRef } from "preact/hooks";
import type { LiveConnection } from "./connection";
import type { LiveEvent } from "./events";

export const LiveContext = createContext<LiveConnection | null>(null);

/** Runs `handler` for every live event while the component is mounted (always its latest version). */
export function useLiveEvents(handler: (event: LiveEvent) => void) {
  const live = useContext(LiveContext);
  const latest = useRef(handler);
  latest.current = handler;
  useEffect(() => live?.subscribe((event) => latest.current(event)), [live]);
}
