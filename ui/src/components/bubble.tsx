import type { AttachedTag, Message, Tag } from "../api/types";
import type { Reaction } from "../chats/timeline";
import { timeOfDay } from "../text/time";
import { DeliveryTicks, failureText } from "./delivery-ticks";
import { ErrorNotice } from "./error-notice";
import { MessageContent, messagePreview, messageTime } from "./message-content";
import { TagChips } from "./tag-chips";
import { TagPicker } from "./tag-picker";

/**
 * One message: the message it replies to (quoted), its content, the reactions on it,
 * its tags (removable), time and ticks, and its actions: reply, and tag.
 */
export type BubbleActions = {
  onReply: (message: Message) => void;
  tags: Tag[] | null;
  onTag: (message: Message, tag: Tag) => Promise<void>;
  onUntag: (message: Message, tag: AttachedTag) => void;
};

function Quote({ quoted }: { quoted: Message | "elsewhere" }) {
  if (quoted === "elsewhere") return <blockquote class="quote">Replying to an earlier message</blockquote>;
  return (
    <blockquote class="quote">
      <span class="quote-who">{quoted.from_us ? "You" : "Customer"}</span> {messagePreview(quoted)}
    </blockquote>
  );
}

export function Bubble({
  message,
  reactions,
  quoted,
  actions,
  focused,
  error,
}: {
  message: Message;
  reactions: Reaction[];
  quoted: Message | "elsewhere" | null;
  actions: BubbleActions;
  focused: boolean;
  error: string | null;
}) {
  const time = new Date(messageTime(message) * 1000);
  const failure = message.from_us ? failureText(message.waba_statuses) : null;
  const classes = ["bubble", message.from_us ? "out" : "in", focused ? "focused" : ""].filter(Boolean).join(" ");
  return (
    <li class={classes} data-message-id={message.id} id={`message-${message.id}`}>
      {message.from_us && message.sender && <span class="sender">{message.sender.username}</span>}
      {quoted && <Quote quoted={quoted} />}
      <div class="content">
        <MessageContent message={message} />
      </div>
      {reactions.length > 0 && (
        <span class="reactions" role="img" aria-label={`Reactions: ${reactions.map((r) => r.emoji).join(" ")}`}>
          {reactions.map((r) => (
            <span key={String(r.fromUs)} class={r.fromUs ? "reaction ours" : "reaction"}>
              {r.emoji}
            </span>
          ))}
        </span>
      )}
      <span class="bubble-meta">
        <TagChips tags={message.tags} onRemove={actions.tags ? (tag) => actions.onUntag(message, tag) : undefined} />
        <time dateTime={time.toISOString()}>{timeOfDay(time)}</time>
        {message.from_us && <DeliveryTicks statuses={message.waba_statuses} />}
      </span>
      {failure && <span class="failure">Not delivered: {failure}</span>}
      <span class="bubble-actions">
        <button type="button" class="link-button" onClick={() => actions.onReply(message)}>
          Reply
        </button>
        {actions.tags && (
          <details class="tag-menu">
            <summary>Tag</summary>
            <TagPicker
              id={`tag-${message.id}`}
              label="Tag this message"
              tags={actions.tags}
              attached={message.tags}
              onAdd={(tag) => actions.onTag(message, tag)}
            />
          </details>
        )}
      </span>
      <ErrorNotice error={error} />
    </li>
  );
}
