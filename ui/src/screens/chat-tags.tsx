import { useState } from "preact/hooks";
import { api, call, callEmpty } from "../api/client";
import { messageOf } from "../api/errors";
import type { Chat } from "../api/types";
import { ErrorNotice } from "../components/error-notice";
import { TagChips } from "../components/tag-chips";
import { TagPicker } from "../components/tag-picker";
import type { Directory } from "../directory";

/** A chat's tags: remove one, add one of the workspace's (`/chat_tagging/`); errors in words beside them. */
export function ChatTags({ chat, directory, onChanged }: { chat: Chat; directory: Directory | null; onChanged: () => void }) {
  const [error, setError] = useState<string | null>(null);
  const attempt = async (work: () => Promise<unknown>) => {
    setError(null);
    try {
      await work();
      onChanged();
    } catch (e) {
      setError(messageOf(e));
    }
  };
  return (
    <fieldset class="chat-tags">
      <legend>Chat tags</legend>
      <TagChips
        tags={chat.tags}
        onRemove={(tag) =>
          void attempt(() => callEmpty(api.DELETE("/api/v1/chat_tagging/{id}/", { params: { path: { id: tag.tagging_id } } })))
        }
      />
      {directory && (
        <TagPicker
          id="chat-tag"
          label="Tag this chat"
          tags={directory.tags}
          attached={chat.tags}
          onAdd={(tag) => attempt(() => call(api.POST("/api/v1/chat_tagging/", { body: { tag: tag.id, chat: chat.wa_id } })))}
        />
      )}
      <ErrorNotice error={error} />
    </fieldset>
  );
}
