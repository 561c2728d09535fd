import type { Db } from "../db/client";
import { listWorkspacePersons, type WorkspacePerson } from "../db/queries/contacts";
import type { Inbox } from "../db/queries/inboxes";
import type { User } from "../db/queries/users";
import { providerError } from "../providers/upstream";
import { chatScope } from "../services/chat-scope";
import type { ContactBook, ContactEntry } from "./provider";

/**
 * The workspace's own contact book. Until contact sync fills it, it answers from the
 * persons of the workspace's chats (every inbox's), with the user's chat read permission:
 * nobody finds a customer through it whose chats they may not read.
 */
export function switchboardBook(db: Db, inbox: Inbox, user: User): ContactBook {
  const scope = (search: string) => chatScope(db, { inboxId: inbox.id, user }, { search });
  return {
    async search({ search, limit, page }) {
      const offset = page === null ? 0 : pageOffset(page);
      const { rows, count } = await listWorkspacePersons(db, inbox.workspaceId, await scope(search), limit, offset);
      return { results: rows.map(toEntry), count, next: offset + limit < count ? String(offset + limit) : null };
    },

    async lookup(waId) {
      const { rows } = await listWorkspacePersons(db, inbox.workspaceId, { ...(await scope("")), waId }, 1, 0);
      return rows.map(toEntry);
    },
  };
}

/** Page tokens are offsets; the cursor travels through clients, so it is read, not trusted. */
function pageOffset(page: string): number {
  if (!/^\d{1,9}$/.test(page)) throw providerError(400, "The page cursor is not one this book gave out.");
  return Number(page);
}

function toEntry(p: WorkspacePerson): ContactEntry {
  const number = /^\d+$/.test(p.wa_id) ? `+${p.wa_id}` : null;
  return {
    name: p.profile_name ?? number ?? p.wa_id,
    phone_numbers: number ? [{ phone_number: number, description: "WhatsApp" }] : [],
    email_addresses: [],
  };
}
