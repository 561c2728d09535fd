import { api, call, callEmpty } from "../../api/client";
import type { Rule, RuleEngine } from "../../api/types";
import { ErrorNotice } from "../../components/error-notice";
import { type Directory, useDirectory } from "../../directory";
import { useAction, useLoad } from "../../hooks/use-load";

/**
 * The rule engine: `default` (the rules below: a chat tagged with a tag, or every new
 * chat, goes to a user or a group, round robin or for the group to decide) or `custom`
 * (the inbox's events POSTed to an engine URL with extra headers, whose answers assign
 * and tag). Header values are write-only: the page shows their names.
 */
function EngineForm({ engine, onSaved }: { engine: RuleEngine; onSaved: () => void }) {
  const { busy, error, run } = useAction();
  return (
    <form
      class="stack admin-form"
      aria-labelledby="engine-title"
      onSubmit={(event) => {
        event.preventDefault();
        const data = new FormData(event.currentTarget as HTMLFormElement);
        const mode = data.get("mode") === "custom" ? "custom" : "default";
        const lines = String(data.get("headers") ?? "")
          .split("\n")
          .map((l) => l.trim())
          .filter(Boolean);
        const headers = Object.fromEntries(
          lines.map((line) => {
            const at = line.indexOf(":");
            return at < 0 ? [line, ""] : [line.slice(0, at).trim(), line.slice(at + 1).trim()];
          }),
        );
        const url = String(data.get("url") ?? "").trim();
        void run(async () => {
          await call(api.PATCH("/api/v1/rule_engine/", { body: { mode, url: url || null, ...(lines.length ? { headers } : {}) } }));
          onSaved();
        });
      }}
    >
      <h2 id="engine-title">Rule engine</h2>
      <fieldset>
        <legend>Mode</legend>
        <label class="check">
          <input type="radio" name="mode" value="default" defaultChecked={engine.mode === "default"} />
          Default rules (below)
        </label>
        <label class="check">
          <input type="radio" name="mode" value="custom" defaultChecked={engine.mode === "custom"} />A custom engine at a URL
        </label>
      </fieldset>
      <label for="engine-url">Custom engine URL</label>
      <input id="engine-url" name="url" type="url" defaultValue={engine.url ?? ""} placeholder="https://rules.example.com/" />
      <label for="engine-headers">
        Headers sent to it, one "Name: value" a line (leave empty to keep{" "}
        {engine.header_names.length ? engine.header_names.join(", ") : "none"})
      </label>
      <textarea id="engine-headers" name="headers" rows={3} />
      <p class="hint">Headers set: {engine.header_names.length ? engine.header_names.join(", ") : "none"}</p>
      <ErrorNotice error={error} />
      <button type="submit" disabled={busy}>
        Save the rule engine
      </button>
    </form>
  );
}

const describe = (rule: Rule, d: Directory | null) => {
  const tag =
    rule.tagged_with === null
      ? "Every new chat"
      : `A chat tagged ${d?.tags.find((t) => t.id === rule.tagged_with)?.name ?? `#${rule.tagged_with}`}`;
  const user =
    rule.assign_to_user === null ? null : (d?.users.find((u) => u.id === rule.assign_to_user)?.username ?? `user #${rule.assign_to_user}`);
  const group =
    rule.assign_to_group === null ? null : (d?.groups.find((g) => g.id === rule.assign_to_group)?.name ?? `group #${rule.assign_to_group}`);
  const method =
    rule.group_assign_method === "round_robin"
      ? " (round robin)"
      : rule.group_assign_method === "let_group_decide"
        ? " (the group decides)"
        : "";
  return `${tag} goes to ${[user, group && `the group ${group}${method}`].filter(Boolean).join(" and ") || "nobody"}`;
};

function RuleRow({ rule, directory, onChanged }: { rule: Rule; directory: Directory | null; onChanged: () => void }) {
  const { busy, error, run } = useAction();
  return (
    <li>
      {describe(rule, directory)}{" "}
      <button
        type="button"
        class="danger small"
        disabled={busy}
        onClick={() =>
          void run(() => callEmpty(api.DELETE("/api/v1/rule_engine/rules/{id}/", { params: { path: { id: rule.id } } })).then(onChanged))
        }
      >
        Delete rule
      </button>
      <ErrorNotice error={error} />
    </li>
  );
}

export function AdminRules() {
  const engine = useLoad(() => call(api.GET("/api/v1/rule_engine/")));
  const rules = useLoad(() => call(api.GET("/api/v1/rule_engine/rules/", { params: { query: { limit: 1000 } } })));
  const { directory } = useDirectory();
  const create = useAction();
  const number = (v: FormDataEntryValue | null) => (v ? Number(v) : null);
  return (
    <section aria-label="Rules">
      <ErrorNotice error={engine.error ?? rules.error} />
      {engine.data && <EngineForm engine={engine.data} onSaved={() => void engine.reload()} />}
      <h2>Default rules</h2>
      {rules.data && !rules.data.results.length && <p class="empty">No rule yet: new chats stay unassigned.</p>}
      <ul class="rules">
        {rules.data?.results.map((r) => (
          <RuleRow key={r.id} rule={r} directory={directory} onChanged={() => void rules.reload()} />
        ))}
      </ul>
      <form
        class="stack admin-form"
        aria-labelledby="create-rule-title"
        onSubmit={(event) => {
          event.preventDefault();
          const form = event.currentTarget as HTMLFormElement;
          const data = new FormData(form);
          const method = String(data.get("method") ?? "");
          void create.run(async () => {
            await call(
              api.POST("/api/v1/rule_engine/rules/", {
                body: {
                  tagged_with: number(data.get("tag")),
                  assign_to_user: number(data.get("user")),
                  assign_to_group: number(data.get("group")),
                  group_assign_method: method === "round_robin" || method === "let_group_decide" ? method : null,
                },
              }),
            );
            form.reset();
            await rules.reload();
          });
        }}
      >
        <h3 id="create-rule-title">Add a rule</h3>
        <label for="rule-tag">When a chat is tagged</label>
        <select id="rule-tag" name="tag">
          <option value="">(any new chat)</option>
          {directory?.tags.map((t) => (
            <option key={t.id} value={t.id}>
              {t.name}
            </option>
          ))}
        </select>
        <label for="rule-user">Assign it to the user</label>
        <select id="rule-user" name="user">
          <option value="">(nobody)</option>
          {directory?.users.map((u) => (
            <option key={u.id} value={u.id}>
              {u.username}
            </option>
          ))}
        </select>
        <label for="rule-group">and the group</label>
        <select id="rule-group" name="group">
          <option value="">(none)</option>
          {directory?.groups.map((g) => (
            <option key={g.id} value={g.id}>
              {g.name}
            </option>
          ))}
        </select>
        <label for="rule-method">Within the group</label>
        <select id="rule-method" name="method">
          <option value="">(no member chosen)</option>
          <option value="round_robin">Round robin over available members</option>
          <option value="let_group_decide">Let the group decide</option>
        </select>
        <ErrorNotice error={create.error} />
        <button type="submit" disabled={create.busy}>
          Add rule
        </button>
      </form>
    </section>
  );
}
