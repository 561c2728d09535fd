import { useState } from "preact/hooks";
import { api, call } from "../api/client";
import type { ContactEntry, ContactFailure, Person } from "../api/types";
import { contactName } from "../chats/merge";
import { ErrorNotice } from "../components/error-notice";
import { useAction } from "../hooks/use-load";
import { followLink, href } from "../router";
import { PersonDetails } from "./person-details";

/**
 * Looks a person up by name or number fragment, in parallel: the people of this inbox's
 * chats one may read (`GET /persons/`) and every contact provider (`GET /contacts/`,
 * which names the providers that did not answer). A person opens their chat or shows
 * their workspace contact; a provider's number can be checked, and then written to.
 */
const LIMIT = 20;
type Found = { persons: Person[]; count: number; entries: ContactEntry[]; failures: ContactFailure[] };

const digits = (phone: string) => phone.replace(/\D/g, "");

function PersonItem({ person }: { person: Person }) {
  const name = contactName(person);
  const path = `/main/chat/${encodeURIComponent(person.wa_id)}`;
  return (
    <li class="person">
      <span class="person-name">{name}</span> <span class="hint">+{person.wa_id}</span>{" "}
      <a href={href(path)} onClick={(event) => followLink(event, path)} aria-label={`Open the chat with ${name}`}>
        Open the chat
      </a>
      <PersonDetails waId={person.wa_id} name={name} />
    </li>
  );
}

function EntryItem({ entry, onCheck }: { entry: ContactEntry; onCheck: (number: string) => void }) {
  return (
    <li class="person">
      <span class="person-name">{entry.name || "No name"}</span> <span class="hint">from {entry.contact_provider.name}</span>
      <ul class="numbers">
        {entry.phone_numbers.map((p) => (
          <li key={p.phone_number}>
            {p.phone_number}
            {p.description && ` (${p.description})`}{" "}
            <button type="button" class="link-button" onClick={() => onCheck(p.phone_number)} aria-label={`Check ${p.phone_number}`}>
              Check the number
            </button>
          </li>
        ))}
        {entry.email_addresses.map((e) => (
          <li key={e.email_address}>
            {e.email_address}
            {e.description && ` (${e.description})`}
          </li>
        ))}
      </ul>
    </li>
  );
}

export function ContactSearch({ onCheck }: { onCheck: (number: string) => void }) {
  const [query, setQuery] = useState("");
  const [found, setFound] = useState<Found | null>(null);
  const { busy, error, run } = useAction();

  const search = (event: SubmitEvent) => {
    event.preventDefault();
    const text = query.trim();
    if (!text) return;
    void run(async () => {
      const [persons, contacts] = await Promise.all([
        call(api.GET("/api/v1/persons/", { params: { query: { search: text, limit: LIMIT } } })),
        call(api.GET("/api/v1/contacts/", { params: { query: { search: text, limit: LIMIT } } })),
      ]);
      // The workspace's own book lists the same people as the inbox: each is shown once.
      const listed = new Set(persons.results.map((p) => p.wa_id));
      const entries = contacts.results.filter(
        (e) => !e.phone_numbers.length || !e.phone_numbers.every((p) => listed.has(digits(p.phone_number))),
      );
      setFound({ persons: persons.results, count: persons.count, entries, failures: contacts.errors });
    });
  };

  return (
    <section class="lookup" aria-labelledby="lookup-title">
      <h2 id="lookup-title">Look a person up</h2>
      <search>
        <form class="inline" onSubmit={search}>
          <label for="lookup-query">Name or number</label>
          <input id="lookup-query" type="search" required value={query} onInput={(event) => setQuery(event.currentTarget.value)} />
          <button type="submit" disabled={busy}>
            {busy ? "Looking up…" : "Look up"}
          </button>
        </form>
      </search>
      <ErrorNotice error={error} />
      {found && (
        <>
          <h3>In this inbox{found.count > found.persons.length ? ` (${found.persons.length} of ${found.count})` : ""}</h3>
          {found.persons.length ? (
            <ul class="people" aria-label="People in this inbox">
              {found.persons.map((p) => (
                <PersonItem key={p.wa_id} person={p} />
              ))}
            </ul>
          ) : (
            <p class="empty">Nobody in this inbox's chats matches.</p>
          )}
          <h3>Address books</h3>
          {found.failures.map((f) => (
            <p key={`${f.contact_provider.name}-${f.contact_provider.id}`} class="error" role="alert">
              {f.contact_provider.name} did not answer: {f.detail}
            </p>
          ))}
          {found.entries.length ? (
            <ul class="people" aria-label="Address book entries">
              {found.entries.map((e, i) => (
                <EntryItem key={`${e.contact_provider.id}-${i}`} entry={e} onCheck={onCheck} />
              ))}
            </ul>
          ) : (
            <p class="empty">No other entry in the address books.</p>
          )}
        </>
      )}
    </section>
  );
}
