import { useEffect, useState } from "preact/hooks";
import type { User } from "../api/types";
import type { ChatFilter } from "../chats/filter";
import { useDirectory } from "../directory";

/** The search box (applied as one stops typing) and the filters above the chat list. */
const TYPING_MS = 300;

export function ChatFilters({ user, filter, onChange }: { user: User; filter: ChatFilter; onChange: (filter: ChatFilter) => void }) {
  const { directory } = useDirectory();
  const [search, setSearch] = useState(filter.search);

  useEffect(() => {
    if (search === filter.search) return;
    const timer = setTimeout(() => onChange({ ...filter, search }), TYPING_MS);
    return () => clearTimeout(timer);
  }, [search]);

  const number = (value: string) => (value ? Number(value) : null);
  return (
    <search class="chat-filters" aria-label="Search and filter chats">
      <form
        onSubmit={(event) => {
          event.preventDefault();
          onChange({ ...filter, search });
        }}
      >
        <label for="chat-search" class="sr-only">
          Search chats and messages
        </label>
        <input
          id="chat-search"
          type="search"
          placeholder="Search messages, names, numbers"
          value={search}
          onInput={(event) => setSearch(event.currentTarget.value)}
        />
        <div class="filter-row">
          <label class="check">
            <input
              type="checkbox"
              checked={filter.assignedToMe}
              onChange={(event) => onChange({ ...filter, assignedToMe: event.currentTarget.checked })}
            />
            Assigned to me
          </label>
          <label for="filter-group" class="sr-only">
            My group
          </label>
          <select
            id="filter-group"
            value={filter.group ?? ""}
            onChange={(event) => onChange({ ...filter, group: number(event.currentTarget.value) })}
          >
            <option value="">Any group</option>
            {user.groups.map((g) => (
              <option key={g.id} value={g.id}>
                Group: {g.name}
              </option>
            ))}
          </select>
          <label for="filter-tag" class="sr-only">
            Tag
          </label>
          <select
            id="filter-tag"
            value={filter.tag ?? ""}
            onChange={(event) => onChange({ ...filter, tag: number(event.currentTarget.value) })}
          >
            <option value="">Any tag</option>
            {directory?.tags.map((t) => (
              <option key={t.id} value={t.id}>
                Tag: {t.name}
              </option>
            ))}
          </select>
        </div>
      </form>
    </search>
  );
}
