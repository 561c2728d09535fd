import { useState } from "preact/hooks";
import { api, call } from "../api/client";
import { messageOf } from "../api/errors";
import { ErrorNotice } from "../components/error-notice";

/**
 * Writes a text message (`POST /api/v1/messages/`). Enter sends, Shift+Enter starts a new
 * line. The sent message itself arrives like every other one, over the live feed.
 */
export function Composer({ waId, onSent }: { waId: string; onSent: () => void }) {
  const [text, setText] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const send = async () => {
    const body = text.trim();
    if (!body || busy) return;
    setBusy(true);
    setError(null);
    try {
      await call(api.POST("/api/v1/messages/", { body: { wa_id: waId, type: "text", text: { body } } }));
      setText("");
      onSent();
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      class="composer"
      onSubmit={(event) => {
        event.preventDefault();
        void send();
      }}
    >
      <ErrorNotice error={error} />
      <div class="composer-row">
        <label for="composer-text" class="sr-only">
          Message
        </label>
        <textarea
          id="composer-text"
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
          {busy ? "Sending…" : "Send"}
        </button>
      </div>
    </form>
  );
}
