import { config } from "../config";
import { contactProviderSecrets, isContactProviderType } from "../contacts/config";
import { encodeCursor, type PagesCursor } from "../contacts/cursor";
import {
  type ContactBook,
  type ContactEntry,
  ContactProviderError,
  contactBookFor,
  DEFAULT_BOOK,
  type InstalledProvider,
  type ProviderRef,
} from "../contacts/provider";
import type { Db } from "../db/client";
import { listContactProviders } from "../db/queries/contacts";
import type { Inbox } from "../db/queries/inboxes";
import type { User } from "../db/queries/users";

/**
 * Asks every contact provider of an inbox at once. A provider that fails is left out of
 * the answer and named in `errors`, so one directory being down never costs the page
 * (the vendor's web client stops loading contacts on any error answer).
 */

type Source = { key: string; ref: ProviderRef; book: ContactBook };
export type FoundContact = ContactEntry & { contact_provider: ProviderRef };
export type ProviderFailure = { contact_provider: ProviderRef; detail: string };

/** The inbox's providers in the order they were added; with none, the workspace's own book. */
export async function installedBooks(env: Env, db: Db, inbox: Inbox, user: User): Promise<Source[]> {
  const rows = await listContactProviders(db, inbox.id);
  const ctx = { db, inbox, user, localUrls: config(env).WEBHOOK_LOCAL_URLS };
  const installed: Promise<InstalledProvider>[] = [];
  for (const { type, name, id, config: settings, secrets } of rows) {
    // Rows of a type this version does not know (a rollback) are passed over, not fatal.
    if (!isContactProviderType(type)) continue;
    installed.push(contactProviderSecrets(env, { secrets }).then((s) => ({ type, name, id, config: settings, secrets: s })));
  }
  const providers = rows.length ? await Promise.all(installed) : [DEFAULT_BOOK];
  return providers.map((p) => ({
    key: p.id === null ? "own" : String(p.id),
    ref: { type: p.type, name: p.name, id: p.id },
    book: contactBookFor(p, ctx),
  }));
}

type Outcome = { results: FoundContact[]; error?: ProviderFailure };

/** Runs one provider's call; its failure becomes an entry of `errors` instead of the answer's. */
async function ask(ref: ProviderRef, run: () => Promise<ContactEntry[]>): Promise<Outcome> {
  try {
    return { results: (await run()).map((r) => ({ ...r, contact_provider: ref })) };
  } catch (e) {
    if (!(e instanceof ContactProviderError)) throw e;
    return { results: [], error: { contact_provider: e.provider, detail: e.message } };
  }
}

/** In source order, whichever provider answered first. */
const collect = (outcomes: Outcome[]) => ({
  results: outcomes.flatMap((o) => o.results),
  errors: outcomes.flatMap((o) => (o.error ? [o.error] : [])),
});

/** One page of every provider's own paging; `cursor` null starts them all. */
export async function searchContacts(sources: Source[], query: { search: string; limit: number; cursor: PagesCursor | null }) {
  const next: PagesCursor = {};
  const outcomes = await Promise.all(
    sources.map(({ key, ref, book }) => {
      const state = query.cursor ? query.cursor[key] : { c: null };
      if (!state) return { results: [] };
      if (query.cursor && state.p === undefined) {
        next[key] = state; // done on an earlier page: still part of the total
        return { results: [] };
      }
      return ask(ref, async () => {
        const page = await book.search({ search: query.search, limit: query.limit, page: state.p ?? null });
        next[key] = page.next === null ? { c: page.count } : { p: page.next, c: page.count };
        return page.results;
      });
    }),
  );
  // Keys in source order, so the same listing always gives the same cursor text.
  const states = sources.flatMap(({ key }) => (next[key] ? [[key, next[key]] as const] : []));
  const count = states.some(([, s]) => s.c === null) ? null : states.reduce((sum, [, s]) => sum + (s.c ?? 0), 0);
  const more = states.some(([, s]) => s.p !== undefined);
  return { count, next: more ? encodeCursor(Object.fromEntries(states)) : null, ...collect(outcomes) };
}

/** Every provider's entries for a WhatsApp id. */
export async function lookupContacts(sources: Source[], waId: string) {
  return collect(await Promise.all(sources.map(({ ref, book }) => ask(ref, () => book.lookup(waId)))));
}
