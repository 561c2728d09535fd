import { api, call, callEmpty } from "../../api/client";
import type { Group } from "../../api/types";
import { ErrorNotice } from "../../components/error-notice";
import { reloadDirectory } from "../../directory";
import { useAction, useLoad } from "../../hooks/use-load";

/**
 * Groups: the three built in ("Admin", "Regular user", "App integration", one per role)
 * and custom ones such as "Agents", which chats are assigned to. Custom groups are
 * renamed and deleted here; a group with assigned chats cannot be deleted (the reason shows).
 */
const BUILT_IN = new Set(["Admin", "Regular user", "App integration"]);

function GroupRow({ group, onChanged }: { group: Group; onChanged: () => void }) {
  const { busy, error, run } = useAction();
  const builtIn = BUILT_IN.has(group.name);
  return (
    <tr>
      <td>{group.id}</td>
      <td>
        {builtIn ? (
          group.name
        ) : (
          <form
            class="inline"
            onSubmit={(event) => {
              event.preventDefault();
              const name = String(new FormData(event.currentTarget as HTMLFormElement).get("name") ?? "");
              void run(() =>
                call(api.PATCH("/api/v1/groups/{id}/", { params: { path: { id: group.id } }, body: { name } })).then(onChanged),
              );
            }}
          >
            <label class="sr-only" for={`group-name-${group.id}`}>
              Name of group {group.name}
            </label>
            <input id={`group-name-${group.id}`} name="name" defaultValue={group.name} required />
            <button type="submit" class="secondary" disabled={busy}>
              Rename
            </button>
          </form>
        )}
      </td>
      <td>
        {builtIn ? (
          "built in"
        ) : (
          <button
            type="button"
            class="danger"
            disabled={busy}
            onClick={() =>
              void run(() => callEmpty(api.DELETE("/api/v1/groups/{id}/", { params: { path: { id: group.id } } })).then(onChanged))
            }
          >
            Delete {group.name}
          </button>
        )}
        <ErrorNotice error={error} />
      </td>
    </tr>
  );
}

export function AdminGroups() {
  const groups = useLoad(() => call(api.GET("/api/v1/groups/", { params: { query: { limit: 1000 } } })));
  const create = useAction();
  const changed = () => {
    void groups.reload();
    void reloadDirectory();
  };
  return (
    <section aria-label="Groups">
      <ErrorNotice error={groups.error} />
      {groups.data && (
        <table>
          <caption>Groups</caption>
          <thead>
            <tr>
              <th scope="col">Id</th>
              <th scope="col">Name</th>
              <th scope="col">Change</th>
            </tr>
          </thead>
          <tbody>
            {groups.data.results.map((g) => (
              <GroupRow key={g.id} group={g} onChanged={changed} />
            ))}
          </tbody>
        </table>
      )}
      <form
        class="stack admin-form"
        aria-labelledby="create-group-title"
        onSubmit={(event) => {
          event.preventDefault();
          const form = event.currentTarget as HTMLFormElement;
          const name = String(new FormData(form).get("name") ?? "");
          void create.run(async () => {
            await call(api.POST("/api/v1/groups/", { body: { name } }));
            form.reset();
            changed();
          });
        }}
      >
        <h2 id="create-group-title">Create a group</h2>
        <label for="new-group">Group name</label>
        <input id="new-group" name="name" required />
        <ErrorNotice error={create.error} />
        <button type="submit" disabled={create.busy}>
          Create group
        </button>
      </form>
    </section>
  );
}
