import { useState } from "preact/hooks";
import { api, call } from "../../api/client";
import { messageOf } from "../../api/errors";
import type { Group, Permissions, User } from "../../api/types";
import { ErrorNotice } from "../../components/error-notice";
import { reloadDirectory, useDirectory } from "../../directory";
import { useAction, useLoad } from "../../hooks/use-load";

/**
 * The workspace's users: create one (role, custom groups, permissions, optionally a first
 * password), then show the one-time activation link the create answer carries; change a
 * user's role, groups and permissions. `POST /users/` takes the role; groups and
 * permissions follow with `PATCH /users/{id}/`, a password with `/users/{id}/password/change/`.
 */
type Role = User["profile"]["role"];
const ROLES: Role[] = ["user", "admin", "app"];
const LEVELS = ["all", "group", "assigned", "none"] as const;
const BUILT_IN = new Set(["Admin", "Regular user", "App integration"]);

type Access = { role: Role; groups: number[]; permissions: Permissions | null };

function AccessFields({ id, value, groups, onChange }: { id: string; value: Access; groups: Group[]; onChange: (a: Access) => void }) {
  const custom = groups.filter((g) => !BUILT_IN.has(g.name));
  const permissions = value.permissions;
  const level = (key: "can_read_chats" | "can_write_to_chats", label: string) => (
    <label>
      {label}
      <select
        value={permissions?.[key] ?? ""}
        onChange={(e) => {
          const v = e.currentTarget.value as (typeof LEVELS)[number] | "";
          onChange({
            ...value,
            permissions: v ? { can_use_tags: true, can_read_chats: "all", can_write_to_chats: "all", ...permissions, [key]: v } : null,
          });
        }}
      >
        <option value="">The role's default</option>
        {LEVELS.map((l) => (
          <option key={l} value={l}>
            {l}
          </option>
        ))}
      </select>
    </label>
  );
  return (
    <>
      <label>
        Role
        <select value={value.role} onChange={(e) => onChange({ ...value, role: e.currentTarget.value as Role })}>
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {r}
            </option>
          ))}
        </select>
      </label>
      <fieldset>
        <legend>Groups</legend>
        {!custom.length && <p class="hint">No custom group yet (create them under Groups).</p>}
        {custom.map((g) => (
          <label class="check" key={g.id}>
            <input
              type="checkbox"
              id={`${id}-group-${g.id}`}
              checked={value.groups.includes(g.id)}
              onChange={(e) =>
                onChange({ ...value, groups: e.currentTarget.checked ? [...value.groups, g.id] : value.groups.filter((x) => x !== g.id) })
              }
            />
            {g.name}
          </label>
        ))}
      </fieldset>
      <fieldset>
        <legend>Permissions</legend>
        {level("can_read_chats", "Reads chats")}
        {level("can_write_to_chats", "Writes to chats")}
        <label class="check">
          <input
            type="checkbox"
            checked={permissions?.can_use_tags ?? value.role !== "app"}
            onChange={(e) =>
              onChange({
                ...value,
                permissions: { can_read_chats: "all", can_write_to_chats: "all", ...permissions, can_use_tags: e.currentTarget.checked },
              })
            }
          />
          Uses tags
        </label>
      </fieldset>
    </>
  );
}

const accessBody = (access: Access, groups: Group[]) => ({
  profile: { role: access.role },
  // Role groups follow the role; only custom memberships are set here.
  groups: access.groups.filter((id) => groups.some((g) => g.id === id && !BUILT_IN.has(g.name))),
  ...(access.permissions ? { permissions: access.permissions } : {}),
});

function CreateUser({ groups, onCreated }: { groups: Group[]; onCreated: () => void }) {
  const [access, setAccess] = useState<Access>({ role: "user", groups: [], permissions: null });
  const [created, setCreated] = useState<{ username: string; link: string; note: string | null } | null>(null);
  const { busy, error, run } = useAction();

  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const data = new FormData(form);
    const password = String(data.get("password") ?? "");
    void run(async () => {
      const user = await call(
        api.POST("/api/v1/users/", {
          body: { username: String(data.get("username") ?? ""), email: String(data.get("email") ?? ""), profile: { role: access.role } },
        }),
      );
      let note: string | null = null;
      try {
        await call(api.PATCH("/api/v1/users/{id}/", { params: { path: { id: user.id } }, body: accessBody(access, groups) }));
        if (password)
          await call(api.POST("/api/v1/users/{id}/password/change/", { params: { path: { id: user.id } }, body: { password } }));
      } catch (e) {
        note = `The user was created, but: ${messageOf(e)}`;
      }
      setCreated({ username: user.username, link: user.activation_url, note });
      form.reset();
      setAccess({ role: "user", groups: [], permissions: null });
      onCreated();
    });
  };

  return (
    <form class="stack admin-form" onSubmit={submit} aria-labelledby="create-user-title">
      <h2 id="create-user-title">Create a user</h2>
      <label for="new-username">Username</label>
      <input id="new-username" name="username" required autocomplete="off" />
      <label for="new-email">E-mail</label>
      <input id="new-email" name="email" type="email" autocomplete="off" />
      <AccessFields id="new-user" value={access} groups={groups} onChange={setAccess} />
      <label for="new-password">First password (optional: people can also be given one later)</label>
      <input id="new-password" name="password" type="password" autocomplete="new-password" />
      <ErrorNotice error={error} />
      <button type="submit" disabled={busy}>
        {busy ? "Creating…" : "Create user"}
      </button>
      {created && (
        <div class="created" role="status">
          <p>
            {created.username} was created. They become active once this one-time activation link is opened (an app user gets its token
            there):
          </p>
          <p>
            <a href={created.link} class="activation-link">
              {created.link}
            </a>
          </p>
          {created.note && <p class="error">{created.note}</p>}
        </div>
      )}
    </form>
  );
}

function EditUser({ user, groups, onSaved }: { user: User; groups: Group[]; onSaved: () => void }) {
  const [access, setAccess] = useState<Access>({
    role: user.profile.role,
    groups: user.groups.map((g) => g.id),
    permissions: user.permissions,
  });
  const { busy, error, run } = useAction();
  return (
    <details class="edit-user">
      <summary>Edit {user.username}</summary>
      <form
        class="stack"
        onSubmit={(event) => {
          event.preventDefault();
          void run(async () => {
            await call(api.PATCH("/api/v1/users/{id}/", { params: { path: { id: user.id } }, body: accessBody(access, groups) }));
            onSaved();
          });
        }}
      >
        <AccessFields id={`user-${user.id}`} value={access} groups={groups} onChange={setAccess} />
        <ErrorNotice error={error} />
        <button type="submit" disabled={busy}>
          Save {user.username}
        </button>
      </form>
    </details>
  );
}

export function AdminUsers() {
  const users = useLoad(() => call(api.GET("/api/v1/users/", { params: { query: { limit: 1000 } } })));
  const { directory } = useDirectory();
  const groups = directory?.groups ?? [];
  const changed = () => {
    void users.reload();
    void reloadDirectory();
  };
  return (
    <section aria-label="Users">
      <ErrorNotice error={users.error} />
      {users.data && (
        <table>
          <caption>Users</caption>
          <thead>
            <tr>
              <th scope="col">Username</th>
              <th scope="col">Role</th>
              <th scope="col">Groups</th>
              <th scope="col">Reads / writes</th>
              <th scope="col">Available</th>
              <th scope="col">Change</th>
            </tr>
          </thead>
          <tbody>
            {users.data.results.map((u) => (
              <tr key={u.id}>
                <td>{u.username}</td>
                <td>{u.profile.role}</td>
                <td>{u.groups.map((g) => g.name).join(", ")}</td>
                <td>
                  {u.permissions.can_read_chats} / {u.permissions.can_write_to_chats}
                  {u.permissions.can_use_tags ? ", tags" : ""}
                </td>
                <td>{u.profile.is_available ? "yes" : "no"}</td>
                <td>
                  <EditUser user={u} groups={groups} onSaved={changed} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <CreateUser groups={groups} onCreated={changed} />
    </section>
  );
}
