/**
 * What the chat list shows: a search (message text, captions, file names, contact names,
 * phone fragments) and the filters `GET /chats/` and `GET /messages/` both take.
 */
export type ChatFilter = { search: string; assignedToMe: boolean; group: number | null; tag: number | null };

export const NO_FILTER: ChatFilter = { search: "", assignedToMe: false, group: null, tag: null };

export function filterQuery(filter: ChatFilter) {
  const search = filter.search.trim();
  return {
    ...(search ? { search } : {}),
    ...(filter.assignedToMe ? { assigned_to_me: "true" as const } : {}),
    ...(filter.group !== null ? { assigned_group: filter.group } : {}),
    ...(filter.tag !== null ? { chat_tag_id: filter.tag } : {}),
  };
}

export const isFiltered = (filter: ChatFilter) =>
  filter.search.trim() !== "" || filter.assignedToMe || filter.group !== null || filter.tag !== null;
