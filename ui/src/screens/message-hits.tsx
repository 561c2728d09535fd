import { useEffect, useState } from "preact/hooks";
import { api, call } from "../api/client";
import { messageOf } from "../api/errors";
import { type Message, messagesOf } from "../api/types";
import { type ChatFilter, filterQuery } from "../chats/filter";
import { contactName } from "../chats/merge";
import { ErrorNotice } from "../components/error-notice";
import { Highlighted } from "../components/highlighted";
import { messagePreview, messageTime } from "../components/message-content";
import { followLink, href } from "../router";
import { dateTime } from "../text/time";

/**
 * Messages that match the search across the inbox (`GET /messages/?search=`, newest
 * first, with the list's filters), each with its hits marked and a link that opens its
 * thread at that message (`?at=`).
 */
const LIMIT = 20;

export const hitPath = (message: Message) =>
  `/main/chat/${encodeURIComponent(message.customer_wa_id)}?at=${messageTime(message)}&message=${encodeURIComponent(message.id)}`;

/** The API counts a whole-inbox search up to 1,000 hits (see `GET /messages/`). */
const SEARCH_COUNT_CAP = 1_000;
const countText = (count: number) => (count >= SEARCH_COUNT_CAP ? `${SEARCH_COUNT_CAP.toLocaleString("en")}+` : String(count));

export function MessageHits({ filter }: { filter: ChatFilter }) {
  const [hits, setHits] = useState<{ messages: Message[]; count: number } | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let cancelled = false;
    setHits(null);
    setError(null);
    call(api.GET("/api/v1/messages/", { params: { query: { limit: LIMIT, ...filterQuery(filter) } } })).then(
      (page) => !cancelled && setHits({ messages: messagesOf(page.results), count: page.count }),
      (e) => !cancelled && setError(messageOf(e)),
    );
    return () => {
      cancelled = true;
    };
  }, [filter]);

  return (
    <section class="hits" aria-labelledby="hits-title">
      <h3 id="hits-title">
        Messages
        {hits ? ` (${countText(hits.count)}${hits.count > hits.messages.length ? `, newest ${hits.messages.length} shown` : ""})` : ""}
      </h3>
      <ErrorNotice error={error} />
      {!hits && !error && <p role="status">Searching messages…</p>}
      {hits && !hits.messages.length && <p class="empty">No message matches.</p>}
      <ul>
        {hits?.messages.map((m) => {
          const time = new Date(messageTime(m) * 1000);
          const path = hitPath(m);
          return (
            <li key={m.id} class="hit">
              <a href={href(path)} onClick={(event) => followLink(event, path)}>
                <span class="chat-top">
                  <span class="chat-name">{contactName(m.contact)}</span>
                  <time dateTime={time.toISOString()}>{dateTime(time)}</time>
                </span>
                <span class="hit-text">
                  <Highlighted text={messagePreview(m)} query={filter.search} />
                </span>
              </a>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
