import { useState } from "preact/hooks";
import { api, call, callEmpty } from "../../api/client";
import type { Delivery, WabaWebhook } from "../../api/types";
import { ErrorNotice } from "../../components/error-notice";
import { useDirectory } from "../../directory";
import { useAction, useLoad } from "../../hooks/use-load";

/**
 * Per-user webhooks (`/webhooks/waba/`, one per user and inbox): create (for yourself or,
 * as an admin, for a bot), the event flags, pause and resume, rotate the signing secret
 * (shown once, like the first), delete, and the delivery log with every attempt and a
 * redeliver button (same body, same `webhook-id`).
 */
const FLAGS = [
  ["on_incoming_message", "Incoming messages"],
  ["on_outgoing_message", "Outgoing messages"],
  ["on_assigned", "Assignments"],
  ["is_active", "Active"],
] as const;
type Flag = (typeof FLAGS)[number][0];

const when = (seconds: number) => new Date(seconds * 1000).toLocaleString([], { dateStyle: "short", timeStyle: "medium" });

function Secret({ secret }: { secret: string }) {
  return (
    <p class="secret" role="status">
      Signing secret (shown only now): <code>{secret}</code>
    </p>
  );
}

function Deliveries({ webhook }: { webhook: WabaWebhook }) {
  const log = useLoad(() =>
    call(api.GET("/api/v1/webhooks/waba/{id}/deliveries/", { params: { path: { id: webhook.id }, query: { limit: 50 } } })),
  );
  const redeliver = useAction();
  const again = (d: Delivery) =>
    void redeliver.run(async () => {
      await call(
        api.POST("/api/v1/webhooks/waba/{id}/deliveries/{delivery_id}/redeliver/", {
          params: { path: { id: webhook.id, delivery_id: d.id } },
        }),
      );
      await log.reload();
    });
  return (
    <div class="deliveries">
      <button type="button" class="secondary" onClick={() => void log.reload()}>
        Refresh the delivery log
      </button>
      <ErrorNotice error={log.error ?? redeliver.error} />
      {log.data && !log.data.results.length && <p class="empty">No delivery yet.</p>}
      {log.data && log.data.results.length > 0 && (
        <table>
          <caption>Deliveries to {webhook.url}</caption>
          <thead>
            <tr>
              <th scope="col">Created</th>
              <th scope="col">Event</th>
              <th scope="col">State</th>
              <th scope="col">Attempts</th>
              <th scope="col">Redeliver</th>
            </tr>
          </thead>
          <tbody>
            {log.data.results.map((d) => (
              <tr key={d.id} data-state={d.state}>
                <td>{when(d.created_at)}</td>
                <td>{d.event_type}</td>
                <td>{d.state}</td>
                <td>
                  <ol class="attempts">
                    {d.attempts.map((a) => (
                      <li key={a.at}>
                        {when(a.at)}: {a.status_code ?? "no answer"} in {a.latency_ms} ms
                        {a.error ? ` (${a.error})` : ""}
                        {a.response_excerpt ? ` "${a.response_excerpt.slice(0, 120)}"` : ""}
                      </li>
                    ))}
                  </ol>
                </td>
                <td>
                  <button type="button" class="secondary" disabled={redeliver.busy} onClick={() => again(d)}>
                    Redeliver
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

function WebhookCard({ webhook, onChanged }: { webhook: WabaWebhook; onChanged: () => void }) {
  const { busy, error, run } = useAction();
  const [secret, setSecret] = useState<string | null>(null);
  const [showLog, setShowLog] = useState(false);
  const path = { params: { path: { id: webhook.id } } };
  const setFlag = (flag: Flag, value: boolean) =>
    void run(() => call(api.PATCH("/api/v1/webhooks/waba/{id}/", { ...path, body: { [flag]: value } })).then(onChanged));
  return (
    <article class="card" aria-label={`Webhook of ${webhook.user.username}`}>
      <h3>
        {webhook.user.username}: {webhook.url}
      </h3>
      <fieldset>
        <legend>Events</legend>
        {FLAGS.map(([flag, label]) => (
          <label class="check" key={flag}>
            <input type="checkbox" checked={webhook[flag]} disabled={busy} onChange={(e) => setFlag(flag, e.currentTarget.checked)} />
            {label}
          </label>
        ))}
      </fieldset>
      <div class="actions">
        <button
          type="button"
          class="secondary"
          disabled={busy}
          onClick={() => void run(async () => setSecret((await call(api.POST("/api/v1/webhooks/waba/{id}/rotate_secret/", path))).secret))}
        >
          Rotate secret
        </button>
        <button type="button" class="secondary" aria-expanded={showLog} onClick={() => setShowLog(!showLog)}>
          Delivery log
        </button>
        <button
          type="button"
          class="danger"
          disabled={busy}
          onClick={() => void run(() => callEmpty(api.DELETE("/api/v1/webhooks/waba/{id}/", path)).then(onChanged))}
        >
          Delete webhook
        </button>
      </div>
      {secret && (
        <>
          <Secret secret={secret} />
          <p class="hint">The old secret keeps signing for 24 hours.</p>
        </>
      )}
      <ErrorNotice error={error} />
      {showLog && <Deliveries webhook={webhook} />}
    </article>
  );
}

export function AdminWebhooks() {
  const hooks = useLoad(() => call(api.GET("/api/v1/webhooks/waba/", { params: { query: { limit: 1000 } } })));
  const { directory } = useDirectory();
  const create = useAction();
  const [secret, setSecret] = useState<string | null>(null);
  return (
    <section aria-label="Webhooks">
      <ErrorNotice error={hooks.error} />
      {hooks.data && !hooks.data.results.length && <p class="empty">No webhook yet.</p>}
      {hooks.data?.results.map((w) => (
        <WebhookCard key={w.id} webhook={w} onChanged={() => void hooks.reload()} />
      ))}
      <form
        class="stack admin-form"
        aria-labelledby="create-webhook-title"
        onSubmit={(event) => {
          event.preventDefault();
          const form = event.currentTarget as HTMLFormElement;
          const data = new FormData(form);
          const user = String(data.get("user") ?? "");
          void create.run(async () => {
            const created = await call(
              api.POST("/api/v1/webhooks/waba/", {
                body: {
                  url: String(data.get("url") ?? ""),
                  on_incoming_message: data.has("on_incoming_message"),
                  on_outgoing_message: data.has("on_outgoing_message"),
                  on_assigned: data.has("on_assigned"),
                  ...(user ? { user: Number(user) } : {}),
                },
              }),
            );
            setSecret(created.secret);
            form.reset();
            await hooks.reload();
          });
        }}
      >
        <h2 id="create-webhook-title">Create a webhook</h2>
        <label for="new-webhook-url">URL</label>
        <input id="new-webhook-url" name="url" type="url" required placeholder="https://crm.example.com/whatsapp" />
        <label for="new-webhook-user">For user</label>
        <select id="new-webhook-user" name="user">
          <option value="">Me</option>
          {directory?.users.map((u) => (
            <option key={u.id} value={u.id}>
              {u.username} ({u.profile.role})
            </option>
          ))}
        </select>
        <fieldset>
          <legend>Events</legend>
          {FLAGS.slice(0, 3).map(([flag, label]) => (
            <label class="check" key={flag}>
              <input type="checkbox" name={flag} defaultChecked />
              {label}
            </label>
          ))}
        </fieldset>
        <ErrorNotice error={create.error} />
        <button type="submit" disabled={create.busy}>
          Create webhook
        </button>
        {secret && <Secret secret={secret} />}
      </form>
    </section>
  );
}
