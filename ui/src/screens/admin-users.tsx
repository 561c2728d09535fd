import { useEffect, useState } from "preact/hooks";
import { api, call } from "../api/client";
import { messageOf } from "../api/errors";
import type { User } from "../api/types";
import { ErrorNotice } from "../components/error-notice";

/** The admin panel's first page: the workspace's users (`GET /users/`), read-only for now. */
export function AdminUsers({ user }: { user: User }) {
  const [users, setUsers] = useState<User[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const admin = user.profile.role === "admin";

  useEffect(() => {
    if (!admin) return;
    call(api.GET("/api/v1/users/", { params: { query: { limit: 200 } } })).then(
      (page) => setUsers(page.results),
      (e) => setError(messageOf(e)),
    );
  }, [admin]);

  return (
    <main class="admin" id="main">
      <h1>Admin</h1>
      {!admin && <p>Only admins see the admin panel.</p>}
      <ErrorNotice error={error} />
      {users && (
        <table>
          <caption>Users</caption>
          <thead>
            <tr>
              <th scope="col">Username</th>
              <th scope="col">Role</th>
              <th scope="col">Groups</th>
              <th scope="col">Available</th>
            </tr>
          </thead>
          <tbody>
            {users.map((u) => (
              <tr key={u.id}>
                <td>{u.username}</td>
                <td>{u.profile.role}</td>
                <td>{u.groups.map((g) => g.name).join(", ")}</td>
                <td>{u.profile.is_available ? "yes" : "no"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </main>
  );
}
