import { useState } from "preact/hooks";
import { api, call } from "../api/client";
import { messageOf } from "../api/errors";
import type { User } from "../api/types";
import { ErrorNotice } from "../components/error-notice";

/**
 * One's own account: change the password (`POST /users/current/password/change/`, the
 * current one required; a wrong one counts towards the login lock). The server ends
 * the user's sessions; the token the app uses keeps working.
 */
export function Account({ user }: { user: User }) {
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState(false);
  const [busy, setBusy] = useState(false);

  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const data = new FormData(form);
    const next = String(data.get("new_password") ?? "");
    setDone(false);
    if (next !== String(data.get("repeat_password") ?? "")) return setError("The two new passwords differ: type the same one twice.");
    setBusy(true);
    setError(null);
    try {
      await call(
        api.POST("/api/v1/users/current/password/change/", {
          body: { current_password: String(data.get("current_password") ?? ""), new_password: next },
        }),
      );
      form.reset();
      setDone(true);
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main class="account" id="main">
      <h1>Your account</h1>
      <p>
        {user.username} ({user.profile.role}){user.email ? `, ${user.email}` : ""}
      </p>
      <form class="stack" onSubmit={submit} aria-labelledby="password-title">
        <h2 id="password-title">Change your password</h2>
        <label for="current_password">Current password</label>
        <input id="current_password" name="current_password" type="password" autocomplete="current-password" required />
        <label for="new_password">New password</label>
        <input id="new_password" name="new_password" type="password" autocomplete="new-password" required />
        <label for="repeat_password">New password again</label>
        <input id="repeat_password" name="repeat_password" type="password" autocomplete="new-password" required />
        <ErrorNotice error={error} />
        {done && (
          <p class="success" role="status">
            Your password was changed.
          </p>
        )}
        <button type="submit" disabled={busy}>
          {busy ? "Changing…" : "Change password"}
        </button>
      </form>
    </main>
  );
}
