import { useEffect, useLayoutEffect, useRef, useState } from "preact/hooks";
import { api, call, callEmpty } from "../api/client";
import { ApiError, messageOf } from "../api/errors";
import { type AttachedTag, type Chat, type Message, messagesOf, type Tag, type User } from "../api/types";
import { contactName, mergeMessages } from "../chats/merge";
import { writeRefusal } from "../chats/rules";
import { buildTimeline, type History, NO_HISTORY } from "../chats/timeline";
import { Bubble, type BubbleActions } from "../components/bubble";
import { ErrorNotice } from "../components/error-notice";
import { messageTime } from "../components/message-content";
import { useDirectory } from "../directory";
import { useLiveEvents } from "../live/context";
import { followLink, href } from "../router";
import { timeOfDay } from "../text/time";
import { AssignmentControls } from "./assignment-controls";
import { ChatTags } from "./chat-tags";
import { Composer } from "./composer";

/**
 * One chat: a page of messages per request (`GET /messages/{wa_id}/`, people and tags
 * included), older pages upward by `before_time`, new ones live; beside it, in parallel
 * (no waterfall), the chat (assignment, tags) and its history. Opened at a search hit
 * (`at`), it shows the page ending at that message and the newer ones after it. Seeing
 * the thread marks its messages received for this user.
 */
const PAGE = 30;
const HISTORY_LIMIT = 200;
/** Newer messages loaded after a search hit; beyond them the thread offers the latest. */
const AFTER_HIT = 100;
/** Messages missed (offline, between polls) that one catch-up request reads. */
const CATCH_UP = 100;

export function Thread({ waId, user, at, focusId }: { waId: string; user: User; at: number | null; focusId: string | null }) {
  const [messages, setMessages] = useState<Message[]>([]);
  /** Undefined until loaded; null for a number without a chat yet. */
  const [chat, setChat] = useState<Chat | null | undefined>(undefined);
  const [history, setHistory] = useState<History>(NO_HISTORY);
  const [error, setError] = useState<string | null>(null);
  const [older, setOlder] = useState<"more" | "loading" | "none">("more");
  const [loaded, setLoaded] = useState(false);
  /** After a search hit with more newer messages than loaded: the live feed would leave a gap. */
  const [gapAfter, setGapAfter] = useState(false);
  const [replyTo, setReplyTo] = useState<Message | null>(null);
  const [messageErrors, setMessageErrors] = useState<Record<string, string>>({});
  const { directory } = useDirectory();
  const scroller = useRef<HTMLDivElement>(null);
  /** Where to put the scroll after a render: the bottom (new messages), the same message (older ones above), or the hit. */
  const anchor = useRef<{ kind: "bottom" } | { kind: "keep"; fromBottom: number } | { kind: "focus"; id: string } | null>(null);

  const list = (query: { before_time?: number; since_time?: number; mark_as_received?: "true"; limit?: number; offset?: number }) =>
    call(api.GET("/api/v1/messages/{wa_id}/", { params: { path: { wa_id: waId }, query: { limit: PAGE, ...query } } }));

  /**
   * The messages just after a search hit. Pages are newest first, so the oldest
   * `AFTER_HIT` of those since the hit sit at the end of the list: when there are more,
   * a second request reads them by offset, and the thread says newer ones follow.
   */
  const afterHit = async (time: number) => {
    const page = await list({ since_time: time, limit: AFTER_HIT, mark_as_received: "true" });
    if (!page.next) return { page, gap: false };
    return { page: await list({ since_time: time, limit: AFTER_HIT, offset: page.count - AFTER_HIT }), gap: true };
  };

  const loadChat = () =>
    call(api.GET("/api/v1/chats/{wa_id}/", { params: { path: { wa_id: waId } } })).then(setChat, (e) => {
      // A number nobody wrote from has no chat yet: nothing to assign or tag.
      if (e instanceof ApiError && e.status === 404) setChat(null);
      else setError(messageOf(e));
    });

  const loadHistory = () => {
    const query = { wa_id: waId, limit: HISTORY_LIMIT };
    return Promise.all([
      call(api.GET("/api/v1/chat_assignment_events/", { params: { query } })),
      call(api.GET("/api/v1/chat_tagging_events/", { params: { query } })),
      call(api.GET("/api/v1/message_tagging_events/", { params: { query } })),
    ]).then(
      ([assignments, chatTaggings, messageTaggings]) =>
        setHistory({ assignments: assignments.results, chatTaggings: chatTaggings.results, messageTaggings: messageTaggings.results }),
      (e) => setError(messageOf(e)),
    );
  };

  useEffect(() => {
    setMessages([]);
    setLoaded(false);
    setOlder("more");
    setError(null);
    setReplyTo(null);
    let cancelled = false;
    const first = at ? list({ before_time: at + 1, mark_as_received: "true" }) : list({ mark_as_received: "true" });
    Promise.all([first, at ? afterHit(at) : null]).then(
      ([page, newer]) => {
        if (cancelled) return;
        anchor.current = focusId ? { kind: "focus", id: focusId } : { kind: "bottom" };
        setMessages(mergeMessages([], messagesOf([...(newer?.page.results ?? []), ...page.results])));
        setGapAfter(Boolean(newer?.gap));
        setOlder(page.next ? "more" : "none");
        setLoaded(true);
      },
      (e) => !cancelled && setError(messageOf(e)),
    );
    void loadChat();
    void loadHistory();
    return () => {
      cancelled = true;
    };
  }, [waId, at]);

  useLayoutEffect(() => {
    const element = scroller.current;
    const wanted = anchor.current;
    if (!element || !wanted) return;
    anchor.current = null;
    if (wanted.kind === "focus") {
      const target = element.querySelector(`[data-message-id="${CSS.escape(wanted.id)}"]`);
      if (target) return target.scrollIntoView({ block: "center" });
    }
    element.scrollTop = wanted.kind === "keep" ? element.scrollHeight - wanted.fromBottom : element.scrollHeight;
  }, [messages]);

  const nearBottom = () => {
    const element = scroller.current;
    return !element || element.scrollHeight - element.scrollTop - element.clientHeight < 80;
  };

  const loadOlder = async () => {
    const oldest = messages[0];
    if (!oldest || older !== "more") return;
    setOlder("loading");
    try {
      // One second later than the oldest shown, so messages sharing its second are not skipped (ids dedupe).
      const page = await list({ before_time: messageTime(oldest) + 1 });
      const element = scroller.current;
      anchor.current = { kind: "keep", fromBottom: element ? element.scrollHeight - element.scrollTop : 0 };
      const merged = mergeMessages(messages, messagesOf(page.results), "older");
      setMessages(merged);
      setOlder(page.next && merged.length > messages.length ? "more" : "none");
    } catch (e) {
      setError(messageOf(e));
      setOlder("more");
    }
  };

  /**
   * Everything since the newest message shown (after a reconnect, a poll or a send), in
   * one request. When more than `CATCH_UP` were missed, the thread starts again from the
   * latest of them, and older ones load upward by `before_time` as usual: a gap is never
   * left between what was shown and what came since.
   */
  const catchUp = async () => {
    if (gapAfter) return;
    const newest = messages[messages.length - 1];
    const seen = document.visibilityState === "visible" ? { mark_as_received: "true" as const } : {};
    try {
      const page = await list(newest ? { since_time: messageTime(newest), limit: CATCH_UP, ...seen } : seen);
      if (nearBottom() || page.next) anchor.current = { kind: "bottom" };
      if (page.next) {
        setMessages(mergeMessages([], messagesOf(page.results)));
        setOlder("more");
      } else setMessages((current) => mergeMessages(current, messagesOf(page.results)));
    } catch (e) {
      setError(messageOf(e));
    }
  };

  const markReceived = (message: Message) =>
    call(api.POST("/api/v1/mark_as_received/", { body: { timestamp: messageTime(message), customer_wa_id: waId } })).catch((e) =>
      setError(messageOf(e)),
    );

  useLiveEvents((event) => {
    if (event.kind === "message" && event.message.customer_wa_id === waId) {
      if (gapAfter) return;
      if (nearBottom()) anchor.current = { kind: "bottom" };
      setMessages((current) => mergeMessages(current, [event.message]));
      if (!event.message.from_us && document.visibilityState === "visible") void markReceived(event.message);
      if (!event.message.from_us) void loadChat();
    } else if (event.kind === "status") {
      setMessages((current) =>
        current.map((m) => (m.id === event.id ? { ...m, waba_statuses: { ...m.waba_statuses, [event.status]: event.value } } : m)),
      );
    } else if (event.kind === "catch_up") {
      void catchUp();
      void loadChat();
    } else if ((event.kind === "changed" || event.kind === "assigned") && (event.waId === null || event.waId === waId)) {
      void loadChat();
      void loadHistory();
    }
  });

  const setTags = (id: string, change: (tags: AttachedTag[]) => AttachedTag[]) =>
    setMessages((current) => current.map((m) => (m.id === id ? { ...m, tags: change(m.tags) } : m)));
  const messageAttempt = async (message: Message, work: () => Promise<void>) => {
    setMessageErrors(({ [message.id]: _, ...rest }) => rest);
    try {
      await work();
      void loadHistory();
    } catch (e) {
      setMessageErrors((current) => ({ ...current, [message.id]: messageOf(e) }));
    }
  };
  const canTag = user.permissions.can_use_tags;
  const actions: BubbleActions = {
    onReply: (message) => {
      setReplyTo(message);
      document.getElementById("composer-text")?.focus();
    },
    tags: canTag && directory ? directory.tags : null,
    onTag: (message: Message, tag: Tag) =>
      messageAttempt(message, async () => {
        const tagging = await call(api.POST("/api/v1/message_tagging/", { body: { tag: tag.id, message: message.id } }));
        setTags(message.id, (tags) => [...tags, { ...tag, tagging_id: tagging.id, extra: tagging.extra }]);
        void loadChat();
      }),
    onUntag: (message: Message, tag: AttachedTag) =>
      void messageAttempt(message, async () => {
        await callEmpty(api.DELETE("/api/v1/message_tagging/{id}/", { params: { path: { id: tag.tagging_id } } }));
        setTags(message.id, (tags) => tags.filter((t) => t.tagging_id !== tag.tagging_id));
      }),
  };

  const contact = chat?.contact ?? messages[messages.length - 1]?.contact;
  const lastCustomerMessage = Math.max(contact?.last_message_timestamp ?? 0, ...messages.filter((m) => !m.from_us).map(messageTime));
  const onChanged = () => {
    void loadChat();
    void loadHistory();
  };
  return (
    <section class="thread" aria-labelledby="thread-title">
      <header class="thread-header">
        <a class="back" href={href("/")} onClick={(event) => followLink(event, "/")}>
          <span aria-hidden="true">←</span> Chats
        </a>
        <h2 id="thread-title">{contact ? contactName(contact) : `+${waId}`}</h2>
        {chat && (
          <details class="chat-tools">
            <summary>Assignment and tags</summary>
            <AssignmentControls chat={chat} user={user} directory={directory} onChanged={onChanged} />
            {canTag ? (
              <ChatTags chat={chat} directory={directory} onChanged={onChanged} />
            ) : (
              <p class="why">Tags are off for you: an admin can allow them in your permissions.</p>
            )}
          </details>
        )}
      </header>
      {chat && (chat.assigned_to_user || chat.assigned_group || chat.tags.length > 0) && (
        <p class="chat-summary">
          {chat.assigned_to_user?.username || chat.assigned_group?.name
            ? `Assigned to ${[chat.assigned_to_user?.username, chat.assigned_group?.name].filter(Boolean).join(", ")}`
            : "Unassigned"}
          {chat.tags.length > 0 && ` · Tags: ${chat.tags.map((t) => t.name).join(", ")}`}
        </p>
      )}
      {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling history must be reachable by keyboard (axe: scrollable-region-focusable). */}
      <div class="messages" role="log" ref={scroller} tabIndex={0} aria-label="Message history">
        {loaded && older !== "none" && (
          <button type="button" class="older" onClick={() => void loadOlder()} disabled={older === "loading"}>
            {older === "loading" ? "Loading older messages…" : "Load older messages"}
          </button>
        )}
        {loaded && !messages.length && <p class="empty">No messages with this number yet.</p>}
        {!loaded && !error && <p role="status">Loading messages…</p>}
        <ol>
          {buildTimeline(messages, history, older === "none").map((item) =>
            item.kind === "message" ? (
              <Bubble
                key={item.message.id}
                message={item.message}
                reactions={item.reactions}
                quoted={item.quoted}
                actions={actions}
                focused={item.message.id === focusId}
                error={messageErrors[item.message.id] ?? null}
              />
            ) : (
              <li key={item.key} class="history">
                {item.text} <time dateTime={new Date(item.time * 1000).toISOString()}>{timeOfDay(new Date(item.time * 1000))}</time>
              </li>
            ),
          )}
        </ol>
        {gapAfter && (
          <a
            class="latest"
            href={href(`/main/chat/${encodeURIComponent(waId)}`)}
            onClick={(e) => followLink(e, `/main/chat/${encodeURIComponent(waId)}`)}
          >
            Newer messages follow: show the latest
          </a>
        )}
      </div>
      <ErrorNotice error={error} />
      <Composer
        waId={waId}
        lastCustomerMessage={lastCustomerMessage || null}
        refusal={chat === undefined ? null : writeRefusal(chat, user)}
        replyTo={replyTo}
        onCancelReply={() => setReplyTo(null)}
        onSent={() => void catchUp()}
      />
    </section>
  );
}
