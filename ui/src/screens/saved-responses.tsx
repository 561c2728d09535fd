import { useEffect, useState } from "preact/hooks";
import { api, call, callEmpty } from "../api/client";
import { messageOf } from "../api/errors";
import type { SavedResponse } from "../api/types";
import { ErrorNotice } from "../components/error-notice";

/**
 * The workspace's saved responses (`/saved_responses/`): insert one into the message,
 * save the message being written as a new one, delete one (its creator or an admin).
 */
export function SavedResponses({ text, onInsert }: { text: string; onInsert: (text: string) => void }) {
  const [responses, setResponses] = useState<SavedResponse[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = () =>
    call(api.GET("/api/v1/saved_responses/", { params: { query: { limit: 1000 } } })).then(
      (page) => setResponses(page.results),
      (e) => setError(messageOf(e)),
    );
  useEffect(() => {
    void load();
  }, []);

  const attempt = async (work: () => Promise<unknown>) => {
    setError(null);
    try {
      await work();
      await load();
    } catch (e) {
      setError(messageOf(e));
    }
  };

  return (
    <section class="saved" aria-label="Saved responses">
      <ErrorNotice error={error} />
      {responses && !responses.length && <p class="empty">No saved responses yet.</p>}
      <ul>
        {responses?.map((r) => (
          <li key={r.id}>
            <button type="button" class="link-button saved-text" onClick={() => onInsert(r.text)} aria-label={`Insert: ${r.text}`}>
              {r.text}
            </button>
            <button
              type="button"
              class="danger small"
              aria-label={`Delete saved response: ${r.text}`}
              onClick={() => void attempt(() => callEmpty(api.DELETE("/api/v1/saved_responses/{id}/", { params: { path: { id: r.id } } })))}
            >
              Delete
            </button>
          </li>
        ))}
      </ul>
      <button
        type="button"
        disabled={!text.trim()}
        onClick={() => void attempt(() => call(api.POST("/api/v1/saved_responses/", { body: { text: text.trim() } })))}
      >
        Save the message as a response
      </button>
    </section>
  );
}
