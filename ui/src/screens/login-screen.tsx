import { useState } from "preact/hooks";
import { messageOf } from "../api/errors";
import type { User } from "../api/types";
import { ErrorNotice } from "../components/error-notice";
import { href } from "../router";
import { logIn } from "../session";

export function LoginScreen({ onLoggedIn, notice }: { onLoggedIn: (user: User) => void; notice: string | null }) {
  const [error, setError] = useState<string | null>(notice);
  const [busy, setBusy] = useState(false);

  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    setBusy(true);
    setError(null);
    try {
      onLoggedIn(await logIn(String(form.get("username") ?? ""), String(form.get("password") ?? "")));
    } catch (e) {
      setError(messageOf(e));
      setBusy(false);
    }
  };

  return (
    <main class="login">
      <h1>Switchboard</h1>
      <p>Log in to answer your customers on WhatsApp.</p>
      <form onSubmit={submit} aria-describedby="login-error">
        <label for="username">Username</label>
        <input id="username" name="username" autocomplete="username" required autofocus />
        <label for="password">Password</label>
        <input id="password" name="password" type="password" autocomplete="current-password" required />
        <div id="login-error">
          <ErrorNotice error={error} />
        </div>
        <button type="submit" disabled={busy}>
          {busy ? "Logging in…" : "Log in"}
        </button>
      </form>
      <p class="hint">
        Or use the <a href={href("/login/")}>server's session form</a>.
      </p>
    </main>
  );
}
