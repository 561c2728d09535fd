import type { ComponentChildren } from "preact";
import { useState } from "preact/hooks";
import { api, call } from "../api/client";
import { messageOf } from "../api/errors";
import type { Chat, User } from "../api/types";
import { assignmentOf, groupRefusal, userRefusal } from "../chats/rules";
import { ErrorNotice } from "../components/error-notice";
import type { Directory } from "../directory";

/**
 * A chat's assignment: `PATCH /chat_assignment/{wa_id}/` with the one field that changes.
 * Choices the seed's rules forbid this user are disabled, with the reason in words under
 * the control; should the server refuse anyway (the rules changed meanwhile), its reason
 * shows there too, and the control returns to the chat as the server has it.
 */
type Field = "user" | "group";
type Choice = { id: number | null; label: string };

function Picker(props: {
  id: string;
  label: string;
  choices: Choice[];
  value: number | null;
  refusal: (id: number | null) => string | null;
  disabled: boolean;
  error: string | null;
  onPick: (id: number | null) => void;
  children?: ComponentChildren;
}) {
  const { id, choices, value, refusal } = props;
  const reasons = choices.map((c) => refusal(c.id));
  const why = [...new Set(reasons.filter((r) => r !== null))];
  const locked = choices.every((c, i) => c.id === value || reasons[i]);
  return (
    <div class="picker">
      <label for={id}>{props.label}</label>
      <select
        id={id}
        value={value ?? ""}
        disabled={props.disabled || locked}
        aria-describedby={why.length ? `${id}-why` : undefined}
        onChange={(event) => {
          const picked = event.currentTarget.value;
          // Shown as the server has it until it answers (a refusal leaves it unchanged).
          event.currentTarget.value = String(value ?? "");
          props.onPick(picked ? Number(picked) : null);
        }}
      >
        {choices.map((c, i) => (
          <option key={c.id ?? "none"} value={c.id ?? ""} disabled={reasons[i] !== null}>
            {c.label}
          </option>
        ))}
      </select>
      {props.children}
      {why.length > 0 && (
        <p id={`${id}-why`} class="why">
          {why.join(" ")}
        </p>
      )}
      <ErrorNotice error={props.error} />
    </div>
  );
}

export function AssignmentControls({
  chat,
  user,
  directory,
  onChanged,
}: {
  chat: Chat;
  user: User;
  directory: Directory | null;
  onChanged: () => void;
}) {
  const [error, setError] = useState<{ field: Field; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const current = assignmentOf(chat);

  const assign = async (field: Field, id: number | null) => {
    setBusy(true);
    setError(null);
    try {
      const body = field === "user" ? { assigned_to_user: id } : { assigned_group: id };
      await call(api.PATCH("/api/v1/chat_assignment/{wa_id}/", { params: { path: { wa_id: chat.wa_id } }, body }));
    } catch (e) {
      setError({ field, text: messageOf(e) });
    } finally {
      setBusy(false);
      onChanged();
    }
  };

  const people: Choice[] = (directory?.users ?? [])
    .filter((u) => u.profile.role !== "app" || u.id === current.user)
    .map((u) => ({ id: u.id, label: u.username }));
  if (current.user !== null && !people.some((p) => p.id === current.user))
    people.push({ id: current.user, label: chat.assigned_to_user?.username ?? `User ${current.user}` });
  const groups: Choice[] = (directory?.groups ?? []).map((g) => ({ id: g.id, label: g.name }));
  const toMe = userRefusal(current, user.id, user);
  const errorOf = (field: Field) => (error?.field === field ? error.text : null);

  return (
    <fieldset class="assignment">
      <legend>Assignment</legend>
      <Picker
        id="assign-user"
        label="User"
        choices={[{ id: null, label: "Nobody" }, ...people]}
        value={current.user}
        refusal={(id) => userRefusal(current, id, user)}
        disabled={busy || !directory}
        error={errorOf("user")}
        onPick={(id) => void assign("user", id)}
      >
        {current.user !== user.id && (
          <button
            type="button"
            disabled={busy || toMe !== null}
            aria-describedby={toMe ? "assign-user-why" : undefined}
            onClick={() => void assign("user", user.id)}
          >
            Assign to me
          </button>
        )}
      </Picker>
      <Picker
        id="assign-group"
        label="Group"
        choices={[{ id: null, label: "No group" }, ...groups]}
        value={current.group}
        refusal={(id) => groupRefusal(current, id, user)}
        disabled={busy || !directory}
        error={errorOf("group")}
        onPick={(id) => void assign("group", id)}
      />
    </fieldset>
  );
}
