import { useRef, useState } from "preact/hooks";
import { api, call } from "../api/client";
import { messageOf } from "../api/errors";
import type { Message } from "../api/types";
import { uploadMedia } from "../api/upload";
import { customerWindow } from "../chats/window";
import { ErrorNotice } from "../components/error-notice";
import { messagePreview } from "../components/message-content";
import { dateTime } from "../text/time";
import { SavedResponses } from "./saved-responses";
import { TemplateForm } from "./template-form";

/**
 * Writes to the customer (`POST /api/v1/messages/`). Within the 24-hour window: text
 * (Enter sends, Shift+Enter starts a new line), a file (uploaded with progress, then sent
 * by its media id, the text as its caption), saved responses, and a reply to a message
 * (`context.message_id`). Outside it: templates only. The sent message itself arrives
 * like every other one, over the live feed. Someone whose permissions forbid writing here
 * is told why instead.
 */
type MediaKind = "image" | "sticker" | "video" | "audio" | "document";

const kindOf = (file: File): MediaKind => {
  if (file.type === "image/webp") return "sticker";
  if (file.type === "image/jpeg" || file.type === "image/png") return "image";
  if (file.type.startsWith("video/")) return "video";
  if (file.type.startsWith("audio/")) return "audio";
  return "document";
};

function mediaBody(kind: MediaKind, id: string, caption: string, filename: string) {
  if (kind === "image" || kind === "video") return { [kind]: { id, ...(caption ? { caption } : {}) } };
  if (kind === "document") return { document: { id, filename, ...(caption ? { caption } : {}) } };
  return { [kind]: { id } };
}

function WindowNotice({ lastCustomerMessage }: { lastCustomerMessage: number | null }) {
  const window = customerWindow(lastCustomerMessage);
  return (
    <p class={window.open ? "window open" : "window closed"} data-window={window.open ? "open" : "closed"}>
      {window.open && window.closesAt
        ? `24-hour window open until ${dateTime(window.closesAt)}: any message can be sent.`
        : window.lastAt
          ? `The 24-hour window closed at ${dateTime(window.closesAt ?? window.lastAt)} (the customer last wrote ${dateTime(window.lastAt)}): only templates can be sent.`
          : "The customer has not written yet, so the 24-hour window is closed: only templates can be sent."}
    </p>
  );
}

export function Composer({
  waId,
  lastCustomerMessage,
  refusal,
  replyTo,
  onCancelReply,
  onSent,
}: {
  waId: string;
  lastCustomerMessage: number | null;
  /** Why this user may not write here (their permissions), or null. */
  refusal: string | null;
  replyTo: Message | null;
  onCancelReply: () => void;
  onSent: () => void;
}) {
  const [text, setText] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [progress, setProgress] = useState<number | null>(null);
  const [showSaved, setShowSaved] = useState(false);
  const textarea = useRef<HTMLTextAreaElement>(null);
  const open = customerWindow(lastCustomerMessage).open;
  const context = replyTo ? { context: { message_id: replyTo.id } } : {};

  const done = () => {
    setText("");
    onCancelReply();
    onSent();
  };

  const send = async () => {
    const body = text.trim();
    if (!body || busy) return;
    setBusy(true);
    setError(null);
    try {
      await call(api.POST("/api/v1/messages/", { body: { wa_id: waId, type: "text", text: { body }, ...context } }));
      done();
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  };

  const sendFile = async (file: File) => {
    setBusy(true);
    setError(null);
    setProgress(0);
    try {
      const media = await uploadMedia(file, setProgress);
      const kind = kindOf(file);
      await call(
        api.POST("/api/v1/messages/", {
          body: { wa_id: waId, type: kind, ...mediaBody(kind, media.id, text.trim(), file.name), ...context },
        }),
      );
      done();
    } catch (e) {
      setError(`${file.name}: ${messageOf(e)}`);
    } finally {
      setBusy(false);
      setProgress(null);
    }
  };

  return (
    <div class="composer">
      <WindowNotice lastCustomerMessage={lastCustomerMessage} />
      {replyTo && (
        <p class="replying">
          <span>Replying to: {messagePreview(replyTo)}</span>
          <button type="button" class="link-button" onClick={onCancelReply}>
            Cancel reply
          </button>
        </p>
      )}
      {refusal ? (
        <p class="why" data-write="refused">
          {refusal}
        </p>
      ) : open ? (
        <form
          onSubmit={(event) => {
            event.preventDefault();
            void send();
          }}
        >
          <ErrorNotice error={error} />
          {progress !== null && (
            <label class="upload">
              Uploading… {Math.round(progress * 100)}%
              <progress max={1} value={progress} />
            </label>
          )}
          <div class="composer-row">
            <label for="composer-text" class="sr-only">
              Message
            </label>
            <textarea
              id="composer-text"
              ref={textarea}
              rows={2}
              placeholder="Write a message"
              value={text}
              onInput={(event) => setText(event.currentTarget.value)}
              onKeyDown={(event) => {
                if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
                  event.preventDefault();
                  void send();
                }
              }}
            />
            <button type="submit" disabled={busy || !text.trim()}>
              {busy && progress === null ? "Sending…" : "Send"}
            </button>
          </div>
          <div class="composer-tools">
            <label class="file-button">
              Attach a file
              <input
                type="file"
                class="sr-only"
                disabled={busy}
                onChange={(event) => {
                  const file = event.currentTarget.files?.[0];
                  event.currentTarget.value = "";
                  if (file) void sendFile(file);
                }}
              />
            </label>
            <button type="button" class="secondary" aria-expanded={showSaved} onClick={() => setShowSaved(!showSaved)}>
              Saved responses
            </button>
          </div>
          {showSaved && (
            <SavedResponses
              text={text}
              onInsert={(saved) => {
                setText((current) => (current.trim() ? `${current} ${saved}` : saved));
                textarea.current?.focus();
              }}
            />
          )}
        </form>
      ) : (
        <TemplateForm waId={waId} onSent={done} />
      )}
    </div>
  );
}
