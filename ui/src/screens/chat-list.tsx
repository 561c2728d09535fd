import { useCallback, useEffect, useRef, useState } from "preact/hooks";
import { api, call } from "../api/client";
import { messageOf } from "../api/errors";
import type { Chat, User } from "../api/types";
import { type ChatFilter, filterQuery, isFiltered, NO_FILTER } from "../chats/filter";
import { appendPage, contactName, mergeFirstPage } from "../chats/merge";
import { ErrorNotice } from "../components/error-notice";
import { Highlighted } from "../components/highlighted";
import { messagePreview, messageTime } from "../components/message-content";
import { TagChips } from "../components/tag-chips";
import { useLiveEvents } from "../live/context";
import { followLink, href } from "../router";
import { dateTime } from "../text/time";
import { ChatFilters } from "./chat-filters";
import { MessageHits } from "./message-hits";

/**
 * Chats newest first (`GET /chats/`), `PAGE` at a time by `offset` as the list scrolls,
 * narrowed by the search and filters; a search also lists the matching messages.
 */
const PAGE = 50;

const timeOf = (chat: Chat) => {
  const seconds = chat.last_message ? messageTime(chat.last_message) : chat.contact.last_message_timestamp;
  return seconds ? new Date(seconds * 1000) : null;
};

function ChatItem({ chat, active, search }: { chat: Chat; active: boolean; search: string }) {
  const time = timeOf(chat);
  const assignee = chat.assigned_to_user?.username ?? chat.assigned_group?.name;
  const path = `/main/chat/${encodeURIComponent(chat.wa_id)}`;
  return (
    <li class={active ? "chat active" : "chat"}>
      <a href={href(path)} onClick={(event) => followLink(event, path)} aria-current={active ? "page" : undefined}>
        <span class="chat-top">
          <span class="chat-name">
            <Highlighted text={contactName(chat.contact)} query={search} />
          </span>
          {time && <time dateTime={time.toISOString()}>{dateTime(time)}</time>}
        </span>
        <span class="chat-bottom">
          <span class="chat-preview">
            <Highlighted text={messagePreview(chat.last_message)} query={search} />
          </span>
          {chat.new_messages > 0 && (
            <span class="unread" role="img" aria-label={`${chat.new_messages} unread`}>
              {chat.new_messages}
            </span>
          )}
        </span>
        <span class="chat-meta">
          <span class="assignee">{assignee ? `Assigned to ${assignee}` : "Unassigned"}</span>
          <TagChips tags={chat.tags} />
        </span>
      </a>
    </li>
  );
}

export function ChatList({ activeWaId, user }: { activeWaId: string | null; user: User }) {
  const [filter, setFilter] = useState<ChatFilter>(NO_FILTER);
  const [chats, setChats] = useState<Chat[]>([]);
  const [count, setCount] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const sentinel = useRef<HTMLLIElement>(null);
  const loadingRef = useRef(false);
  /** Answers to an earlier filter arrive late sometimes: only the current one's are shown. */
  const generation = useRef(0);

  const page = (offset: number, limit = PAGE) =>
    call(api.GET("/api/v1/chats/", { params: { query: { limit, offset, ...filterQuery(filter) } } }));

  const loadMore = useCallback(async () => {
    if (loadingRef.current) return;
    loadingRef.current = true;
    setLoading(true);
    const mine = generation.current;
    try {
      const next = await page(chats.length);
      if (mine !== generation.current) return;
      setChats((current) => appendPage(current, next.results));
      setCount(next.count);
      setError(null);
    } catch (e) {
      if (mine === generation.current) setError(messageOf(e));
    } finally {
      loadingRef.current = false;
      setLoading(false);
    }
  }, [chats.length, filter]);

  /** New activity: the first page again, merged over what is loaded. */
  const refresh = async () => {
    const mine = generation.current;
    try {
      const first = await page(0);
      if (mine !== generation.current) return;
      setChats((current) => mergeFirstPage(current, first.results));
      setCount(first.count);
      setError(null);
    } catch (e) {
      setError(messageOf(e));
    }
  };

  useEffect(() => {
    generation.current++;
    loadingRef.current = false;
    setChats([]);
    setCount(null);
    setError(null);
  }, [filter]);
  useEffect(() => {
    if (count === null && !chats.length && !error) void loadMore();
  }, [count, chats.length, error, loadMore]);

  const more = count === null || chats.length < count;
  useEffect(() => {
    const element = sentinel.current;
    if (!element || !more || error) return;
    const observer = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting)) void loadMore();
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, [more, loadMore, error]);

  useLiveEvents((event) => {
    if (event.kind !== "status") void refresh();
  });
  useEffect(() => {
    // Opening a thread marks its messages received: the unread count follows.
    if (activeWaId) void refresh();
  }, [activeWaId]);

  return (
    <nav class="chat-list" aria-label="Chats">
      <h2 class="sr-only">Chats</h2>
      <ChatFilters user={user} filter={filter} onChange={setFilter} />
      {filter.search.trim() && <MessageHits filter={filter} />}
      {isFiltered(filter) && (
        <h3 class="list-title" aria-live="polite">
          {count === null ? "Chats" : `Chats (${count})`}
        </h3>
      )}
      <ErrorNotice error={error} />
      {count === 0 &&
        (isFiltered(filter) ? (
          <p class="empty">No chat matches.</p>
        ) : (
          <p class="empty">No chats yet. When a customer writes, the chat appears here.</p>
        ))}
      <ul aria-label="Chat list">
        {chats.map((chat) => (
          <ChatItem key={chat.wa_id} chat={chat} active={chat.wa_id === activeWaId} search={filter.search} />
        ))}
        {more && (
          <li ref={sentinel} class="more">
            <button type="button" onClick={() => void loadMore()} disabled={loading}>
              {loading ? "Loading chats…" : "Load more chats"}
            </button>
          </li>
        )}
      </ul>
    </nav>
  );
}
