import { useEffect, useState } from "preact/hooks";
import { messageOf } from "./api/errors";
import type { User } from "./api/types";
import { LoginScreen } from "./screens/login-screen";
import { Shell } from "./screens/shell";
import { restoreSession } from "./session";

/** Who is here decides the screen: nobody yet (loading), nobody (log in), or a person (the app). */
export function App() {
  const [user, setUser] = useState<User | null | undefined>(undefined);
  const [notice, setNotice] = useState<string | null>(null);

  useEffect(() => {
    restoreSession().then(setUser, (e) => {
      setNotice(messageOf(e));
      setUser(null);
    });
  }, []);

  if (user === undefined)
    return (
      <p class="loading" role="status">
        Loading…
      </p>
    );
  if (!user) return <LoginScreen onLoggedIn={setUser} notice={notice} />;
  return (
    <Shell
      user={user}
      onLoggedOut={() => {
        setNotice(null);
        setUser(null);
      }}
    />
  );
}
