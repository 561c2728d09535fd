import { useState } from "preact/hooks";
import { api, call } from "../api/client";
import type { PersonDetail, WorkspaceContact } from "../api/types";
import { ErrorNotice } from "../components/error-notice";
import { useAction } from "../hooks/use-load";

/** The workspace contact linked to a person's number (`GET /persons/{wa_id}/`), loaded when first opened. */
function ContactFacts({ contact }: { contact: WorkspaceContact }) {
  const facts: [string, string][] = [
    ["Name", contact.name ?? ""],
    ["Language", contact.language ?? ""],
    ["Addresses", contact.urns.join(", ")],
    ["Groups", contact.groups.map((g) => g.name).join(", ")],
    ["Stage", contact.stage?.name ?? ""],
    ["Agent", contact.agent?.username ?? ""],
    ...Object.entries(contact.fields).map(([key, value]): [string, string] => [key, value === null ? "" : String(value)]),
  ];
  return (
    <dl class="facts">
      {facts
        .filter(([, value]) => value)
        .map(([term, value]) => (
          <div key={term}>
            <dt>{term}</dt>
            <dd>{value}</dd>
          </div>
        ))}
    </dl>
  );
}

export function PersonDetails({ waId, name }: { waId: string; name: string }) {
  const [detail, setDetail] = useState<PersonDetail | null>(null);
  const { error, run } = useAction();
  const load = () =>
    void run(async () => setDetail(await call(api.GET("/api/v1/persons/{wa_id}/", { params: { path: { wa_id: waId } } }))));
  return (
    <details
      class="person-details"
      onToggle={(event) => {
        if (event.currentTarget.open && !detail) load();
      }}
    >
      <summary>
        Details<span class="sr-only"> of {name}</span>
      </summary>
      <ErrorNotice error={error} />
      {!detail && !error && <p role="status">Loading the contact…</p>}
      {detail &&
        (detail.workspace_contact ? (
          <ContactFacts contact={detail.workspace_contact} />
        ) : (
          <p class="empty">No workspace contact is linked to this number.</p>
        ))}
    </details>
  );
}
