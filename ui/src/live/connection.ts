import { socketUrl } from "../api/base";
import { currentToken } from "../api/client";
import { eventsOf, type LiveEvent, tokenAnswer } from "./events";

/**
 * The inbox's live feed. With a token: the WebSocket (first frame `{"token"}`), reconnected
 * with backoff after any loss (at once when the browser says it is back online), and a
 * `catch_up` after every reconnect so nothing missed while offline is lost. With a session cookie only (the server's `/login/` form), the
 * socket cannot authenticate, so the app polls: a `catch_up` every few seconds.
 */
export type LiveState = "connecting" | "live" | "offline" | "polling";

const POLL_MS = 4000;
const MAX_BACKOFF_MS = 10_000;

type Listener = (event: LiveEvent) => void;
type StateListener = (state: LiveState) => void;

export class LiveConnection {
  private readonly listeners = new Set<Listener>();
  private readonly stateListeners = new Set<StateListener>();
  private socket: WebSocket | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private attempts = 0;
  private stopped = false;
  state: LiveState = "connecting";

  start() {
    this.stopped = false;
    if (currentToken()) {
      addEventListener("online", this.retryNow);
      this.connect();
    } else this.poll();
  }

  stop() {
    this.stopped = true;
    removeEventListener("online", this.retryNow);
    if (this.timer) clearTimeout(this.timer);
    this.socket?.close(1000, "Logged out.");
    this.socket = null;
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  onState(listener: StateListener): () => void {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }

  private emit(event: LiveEvent) {
    for (const listener of this.listeners) listener(event);
  }

  private setState(state: LiveState) {
    this.state = state;
    for (const listener of this.stateListeners) listener(state);
  }

  private poll() {
    this.setState("polling");
    const tick = () => {
      if (this.stopped) return;
      this.emit({ kind: "catch_up" });
      this.timer = setTimeout(tick, POLL_MS);
    };
    this.timer = setTimeout(tick, POLL_MS);
  }

  /** Back online: no need to wait out the backoff. */
  private readonly retryNow = () => {
    if (this.stopped || this.socket || !this.timer) return;
    clearTimeout(this.timer);
    this.timer = null;
    this.connect();
  };

  private connect() {
    const token = currentToken();
    if (this.stopped || !token) return;
    this.setState(this.attempts ? "offline" : "connecting");
    const socket = new WebSocket(socketUrl());
    this.socket = socket;
    socket.onopen = () => socket.send(JSON.stringify({ token }));
    socket.onmessage = (message) => {
      if (typeof message.data !== "string") return;
      const answer = tokenAnswer(message.data);
      if (answer === "success") {
        const reconnected = this.attempts > 0;
        this.attempts = 0;
        this.setState("live");
        if (reconnected) this.emit({ kind: "catch_up" });
        return;
      }
      if (answer === "failed") {
        // The token was revoked: retrying cannot help until the person logs in again.
        this.stopped = true;
        this.setState("offline");
        return;
      }
      for (const event of eventsOf(message.data)) this.emit(event);
    };
    socket.onclose = () => {
      if (this.socket !== socket || this.stopped) return;
      this.socket = null;
      this.attempts++;
      this.setState("offline");
      const delay = Math.min(MAX_BACKOFF_MS, 500 * 2 ** Math.min(this.attempts, 5));
      this.timer = setTimeout(() => this.connect(), delay);
    };
  }
}
