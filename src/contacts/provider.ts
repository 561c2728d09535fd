import type { Db } from "../db/client";
import type { Inbox } from "../db/queries/inboxes";
import type { User } from "../db/queries/users";
import { DomainError } from "../errors";
import { ProviderError } from "../providers/upstream";
import type { ContactProviderType } from "./config";
import { httpDirectory } from "./http-directory";
import { switchboardBook } from "./switchboard-book";

/**
 * One interface over every address book an inbox can ask (the seed: the inbox "does not
 * keep or manage your contacts"). An external book (Google People, a CRM, any JSON
 * directory) is one adapter: `search` pages through matches, `lookup` finds a number.
 * Adapters fail like `src/providers/upstream.ts` ones, with a ProviderError; the book
 * returned by `contactBookFor` turns that into a ContactProviderError naming the provider.
 */

export type ContactEntry = {
  name: string;
  phone_numbers: { phone_number: string; description: string }[];
  email_addresses: { email_address: string; description: string }[];
};

export type BookPage = {
  results: ContactEntry[];
  /** Matches in the whole book, or null when the book cannot count. */
  count: number | null;
  /** The token that asks this book for its next page, or null after the last one. */
  next: string | null;
};

export interface ContactBook {
  /** `page`: a token this book returned as `next`, or null for the first page; `search` may be empty. */
  search(query: { search: string; limit: number; page: string | null }): Promise<BookPage>;
  /** The entries for a WhatsApp id (the number's digits, without `+`). */
  lookup(waId: string): Promise<ContactEntry[]>;
}

/** How a provider is named in results and errors; `id` is null for the own book an inbox has by default. */
export type ProviderRef = { type: ContactProviderType; name: string; id: number | null };

/** A provider with its decrypted secrets, ready to become a book. */
export type InstalledProvider = ProviderRef & { config: Record<string, unknown>; secrets: Record<string, string> };

/** What books need from the request: the own book reads chats as this user may. */
export type BookContext = { db: Db; inbox: Inbox; user: User; localUrls: boolean };

/** The inbox has no provider rows: the workspace's own book answers, as if installed. */
export const DEFAULT_BOOK: InstalledProvider = { type: "switchboard", name: "Switchboard", id: null, config: {}, secrets: {} };

/** A provider that could not answer (502 if it ever reaches a client; lists and lookups report and skip it). */
export class ContactProviderError extends DomainError {
  constructor(
    readonly provider: ProviderRef,
    cause: ProviderError,
  ) {
    super("upstream_failed", { detail: `The contact provider "${provider.name}" failed: ${reason(cause)}`, contact_provider: provider });
  }
}

/** The upstream's own message for unreachable/unreadable answers; for a non-2xx just its status (bodies may hold data). */
function reason(e: ProviderError): string {
  const body = e.body;
  if (body && typeof body === "object" && "error" in body && body.error && typeof body.error === "object" && "message" in body.error) {
    const message = body.error.message;
    if (typeof message === "string") return message;
  }
  return `it answered HTTP ${e.status}.`;
}

function adapter(p: InstalledProvider, ctx: BookContext): ContactBook {
  switch (p.type) {
    case "switchboard":
      return switchboardBook(ctx.db, ctx.inbox, ctx.user);
    case "http":
      return httpDirectory(p, ctx.localUrls);
  }
}

export function contactBookFor(p: InstalledProvider, ctx: BookContext): ContactBook {
  const ref: ProviderRef = { type: p.type, name: p.name, id: p.id };
  // Built per call, so a provider whose settings are incomplete fails like one that is down.
  const named = async <T>(run: (book: ContactBook) => Promise<T>): Promise<T> => {
    try {
      return await run(adapter(p, ctx));
    } catch (error) {
      if (error instanceof ProviderError) throw new ContactProviderError(ref, error);
      throw error;
    }
  };
  return {
    search: (query) => named((book) => book.search(query)),
    lookup: (waId) => named((book) => book.lookup(waId)),
  };
}
