import { useEffect, useMemo, useState } from "preact/hooks";
import { messageOf } from "../api/errors";
import type { User } from "../api/types";
import { ErrorNotice } from "../components/error-notice";
import { forgetDirectory } from "../directory";
import { LiveConnection, type LiveState } from "../live/connection";
import { LiveContext } from "../live/context";
import { assignmentNotice, notify, useNotificationPermission } from "../live/notifications";
import { followLink, href, matchRoute, navigate, queryParam, usePath } from "../router";
import { logOut } from "../session";
import { Account } from "./account";
import { AdminPanel } from "./admin/admin-panel";
import { ChatList } from "./chat-list";
import { Contacts } from "./contacts";
import { Thread } from "./thread";

const LIVE_WORDS: Record<LiveState, string> = {
  connecting: "Connecting…",
  live: "Live",
  offline: "Offline: reconnecting…",
  polling: "Updating every few seconds",
};

function NavLink({ path, label, current }: { path: string; label: string; current: boolean }) {
  return (
    <a href={href(path)} onClick={(event) => followLink(event, path)} aria-current={current ? "page" : undefined}>
      {label}
    </a>
  );
}

/** The logged-in app: header, live feed, and the screen the path names. */
export function Shell({ user, onLoggedOut }: { user: User; onLoggedOut: () => void }) {
  const location = usePath();
  const route = matchRoute(location);
  const [notifications, askNotifications] = useNotificationPermission();
  const live = useMemo(() => new LiveConnection(), []);
  const [liveState, setLiveState] = useState<LiveState>(live.state);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const off = live.onState(setLiveState);
    const unsubscribe = live.subscribe((event) => {
      const notice = assignmentNotice(event, user);
      if (notice) notify(notice, (waId) => navigate(`/main/chat/${encodeURIComponent(waId)}`));
    });
    live.start();
    return () => {
      off();
      unsubscribe();
      live.stop();
    };
  }, [live]);

  const logout = async () => {
    try {
      await logOut();
      live.stop();
      forgetDirectory();
      onLoggedOut();
    } catch (e) {
      setError(messageOf(e));
    }
  };

  const inInbox = route.name === "inbox" || route.name === "chat";
  return (
    <LiveContext.Provider value={live}>
      <a class="skip" href="#main">
        Skip to content
      </a>
      <header class="top">
        <span class="brand">Switchboard</span>
        <nav aria-label="Main">
          <NavLink path="/" label="Inbox" current={inInbox} />
          <NavLink path="/main/contacts/" label="Contacts" current={route.name === "contacts"} />
          {user.profile.role === "admin" && <NavLink path="/admin/" label="Admin" current={route.name === "admin"} />}
          <NavLink path="/account/" label="Account" current={route.name === "account"} />
        </nav>
        <span class={`live live-${liveState}`} role="status">
          {LIVE_WORDS[liveState]}
        </span>
        {notifications === "default" && (
          <button type="button" class="secondary" onClick={() => void askNotifications()}>
            Enable notifications
          </button>
        )}
        {notifications === "denied" && <span class="hint">Notifications blocked in this browser</span>}
        <span class="who">{user.username}</span>
        <button type="button" onClick={() => void logout()}>
          Log out
        </button>
      </header>
      <ErrorNotice error={error} />
      {inInbox ? (
        <div class={route.name === "chat" ? "inbox has-thread" : "inbox"}>
          <ChatList activeWaId={route.name === "chat" ? route.waId : null} user={user} />
          <main id="main" class="pane">
            {route.name === "chat" ? (
              <Thread
                key={`${route.waId}@${route.at ?? ""}`}
                waId={route.waId}
                user={user}
                at={route.at}
                focusId={queryParam(location, "message")}
              />
            ) : (
              <p class="empty pick">Pick a chat on the left to read and answer it.</p>
            )}
          </main>
        </div>
      ) : route.name === "admin" ? (
        <AdminPanel user={user} page={route.page ?? "users"} />
      ) : route.name === "account" ? (
        <Account user={user} />
      ) : route.name === "contacts" ? (
        <Contacts />
      ) : (
        <main id="main" class="not-found">
          <h1>Page not found</h1>
          <p>
            <a href={href("/")} onClick={(event) => followLink(event, "/")}>
              Back to the inbox
            </a>
          </p>
        </main>
      )}
    </LiveContext.Provider>
  );
}
