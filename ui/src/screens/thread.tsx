import { useEffect, useLayoutEffect, useRef, useState } from "preact/hooks";
import { api, call } from "../api/client";
import { messageOf } from "../api/errors";
import { type Message, messagesOf } from "../api/types";
import { contactName, mergeMessages } from "../chats/merge";
import { DeliveryTicks, failureText } from "../components/delivery-ticks";
import { ErrorNotice } from "../components/error-notice";
import { MessageContent, messageTime } from "../components/message-content";
import { TagChips } from "../components/tag-chips";
import { useLiveEvents } from "../live/context";
import { followLink, href } from "../router";
import { Composer } from "./composer";

/**
 * One chat: a page of messages per request (`GET /messages/{wa_id}/`, people and tags
 * included), older pages upward by `before_time`, new ones live. Seeing the thread marks
 * its messages received for this user.
 */
const PAGE = 30;

function Bubble({ message }: { message: Message }) {
  const time = new Date(messageTime(message) * 1000);
  const failure = message.from_us ? failureText(message.waba_statuses) : null;
  return (
    <li class={message.from_us ? "bubble out" : "bubble in"} data-message-id={message.id}>
      {message.from_us && message.sender && <span class="sender">{message.sender.username}</span>}
      <div class="content">
        <MessageContent message={message} />
      </div>
      <span class="bubble-meta">
        <TagChips tags={message.tags} />
        <time dateTime={time.toISOString()}>{time.toLocaleTimeString([], { timeStyle: "short" })}</time>
        {message.from_us && <DeliveryTicks statuses={message.waba_statuses} />}
      </span>
      {failure && <span class="failure">Not delivered: {failure}</span>}
    </li>
  );
}

export function Thread({ waId }: { waId: string }) {
  const [messages, setMessages] = useState<Message[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [older, setOlder] = useState<"more" | "loading" | "none">("more");
  const [loaded, setLoaded] = useState(false);
  const scroller = useRef<HTMLDivElement>(null);
  /** Where to put the scroll after a render: the bottom (new messages) or the same message (older ones above). */
  const anchor = useRef<{ kind: "bottom" } | { kind: "keep"; fromBottom: number } | null>(null);

  const list = (query: { before_time?: number; since_time?: number; mark_as_received?: "true" }) =>
    call(api.GET("/api/v1/messages/{wa_id}/", { params: { path: { wa_id: waId }, query: { limit: PAGE, ...query } } }));

  useEffect(() => {
    setMessages([]);
    setLoaded(false);
    setOlder("more");
    setError(null);
    let cancelled = false;
    list({ mark_as_received: "true" }).then(
      (page) => {
        if (cancelled) return;
        anchor.current = { kind: "bottom" };
        setMessages(mergeMessages([], messagesOf(page.results)));
        setOlder(page.next ? "more" : "none");
        setLoaded(true);
      },
      (e) => !cancelled && setError(messageOf(e)),
    );
    return () => {
      cancelled = true;
    };
  }, [waId]);

  useLayoutEffect(() => {
    const element = scroller.current;
    const wanted = anchor.current;
    if (!element || !wanted) return;
    anchor.current = null;
    element.scrollTop = wanted.kind === "bottom" ? element.scrollHeight : element.scrollHeight - wanted.fromBottom;
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
      const merged = mergeMessages(messages, messagesOf(page.results));
      setMessages(merged);
      setOlder(page.next && merged.length > messages.length ? "more" : "none");
    } catch (e) {
      setError(messageOf(e));
      setOlder("more");
    }
  };

  /** Everything since the newest message shown (after a reconnect, a poll or a send). */
  const catchUp = async () => {
    const newest = messages[messages.length - 1];
    try {
      const page = await list(newest ? { since_time: messageTime(newest) } : {});
      if (nearBottom()) anchor.current = { kind: "bottom" };
      setMessages((current) => mergeMessages(current, messagesOf(page.results)));
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
      if (nearBottom()) anchor.current = { kind: "bottom" };
      setMessages((current) => mergeMessages(current, [event.message]));
      if (!event.message.from_us && document.visibilityState === "visible") void markReceived(event.message);
    } else if (event.kind === "status") {
      setMessages((current) =>
        current.map((m) => (m.id === event.id ? { ...m, waba_statuses: { ...m.waba_statuses, [event.status]: event.value } } : m)),
      );
    } else if (event.kind === "catch_up") {
      void catchUp();
    }
  });

  const contact = messages[messages.length - 1]?.contact;
  return (
    <section class="thread" aria-labelledby="thread-title">
      <header class="thread-header">
        <a class="back" href={href("/")} onClick={(event) => followLink(event, "/")}>
          <span aria-hidden="true">←</span> Chats
        </a>
        <h2 id="thread-title">{contact ? contactName(contact) : `+${waId}`}</h2>
      </header>
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
          {messages.map((message) => (
            <Bubble key={message.id} message={message} />
          ))}
        </ol>
      </div>
      <ErrorNotice error={error} />
      <Composer waId={waId} onSent={() => void catchUp()} />
    </section>
  );
}
