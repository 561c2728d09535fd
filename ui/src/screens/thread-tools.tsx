import { useState } from "preact/hooks";
import { api, call } from "../api/client";
import { messageOf } from "../api/errors";
import type { Chat, User } from "../api/types";
import { ErrorNotice } from "../components/error-notice";
import { TagChips } from "../components/tag-chips";
import { TagPicker } from "../components/tag-picker";
import type { Directory } from "../directory";

/**
 * A chat's assignment and tags. Assignment is `PATCH /chat_assignment/{wa_id}/` with the
 * one field that changes; the server applies the seed's rules, and when it refuses
 * (403 with a reason) the reason shows next to the control that asked.
 */
type Props = { chat: Chat; user: User; directory: Directory | null; onChanged: () => void };

export function AssignmentControls({ chat, user, directory, onChanged }: Props) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const assignedUser = chat.assigned_to_user?.id ?? null;
  const assignedGroup = chat.assigned_group?.id ?? null;

  const assign = async (body: { assigned_to_user?: number | null; assigned_group?: number | null }) => {
    setBusy(true);
    setError(null);
    try {
      await call(api.PATCH("/api/v1/chat_assignment/{wa_id}/", { params: { path: { wa_id: chat.wa_id } }, body }));
      onChanged();
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  };
  const number = (value: string) => (value ? Number(value) : null);
  const people = directory?.users.filter((u) => u.profile.role !== "app" || u.id === assignedUser) ?? [];

  return (
    <fieldset class="assignment" aria-describedby="assignment-error">
      <legend>Assignment</legend>
      <label>
        <span>User</span>
        <select
          value={assignedUser ?? ""}
          disabled={busy || !directory}
          onChange={(event) => void assign({ assigned_to_user: number(event.currentTarget.value) })}
        >
          <option value="">Nobody</option>
          {people.map((u) => (
            <option key={u.id} value={u.id}>
              {u.username}
            </option>
          ))}
          {assignedUser !== null && !people.some((u) => u.id === assignedUser) && (
            <option value={assignedUser}>{chat.assigned_to_user?.username}</option>
          )}
        </select>
      </label>
      <label>
        <span>Group</span>
        <select
          value={assignedGroup ?? ""}
          disabled={busy || !directory}
          onChange={(event) => void assign({ assigned_group: number(event.currentTarget.value) })}
        >
          <option value="">No group</option>
          {directory?.groups.map((g) => (
            <option key={g.id} value={g.id}>
              {g.name}
            </option>
          ))}
        </select>
      </label>
      {assignedUser !== user.id && (
        <button type="button" disabled={busy} onClick={() => void assign({ assigned_to_user: user.id })}>
          Assign to me
        </button>
      )}
      <div id="assignment-error">
        <ErrorNotice error={error} />
      </div>
    </fieldset>
  );
}

export function ChatTags({ chat, directory, onChanged }: Omit<Props, "user">) {
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
        onRemove={(tag) => void attempt(() => call(api.DELETE("/api/v1/chat_tagging/{id}/", { params: { path: { id: tag.tagging_id } } })))}
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
