import { useState } from "preact/hooks";
import type { AttachedTag, Tag } from "../api/types";

/** Picks one of the workspace's tags that is not attached yet, and adds it. */
export function TagPicker({
  id,
  label,
  tags,
  attached,
  onAdd,
}: {
  id: string;
  label: string;
  tags: Tag[];
  attached: AttachedTag[];
  onAdd: (tag: Tag) => Promise<void>;
}) {
  const [chosen, setChosen] = useState("");
  const [busy, setBusy] = useState(false);
  const free = tags.filter((t) => !attached.some((a) => a.id === t.id));
  const tag = free.find((t) => String(t.id) === chosen);
  return (
    <span class="tag-picker">
      <label for={id} class="sr-only">
        {label}
      </label>
      <select id={id} value={chosen} onChange={(event) => setChosen(event.currentTarget.value)}>
        <option value="">{free.length ? "Choose a tag" : "No tag left to add"}</option>
        {free.map((t) => (
          <option key={t.id} value={t.id}>
            {t.name}
          </option>
        ))}
      </select>
      <button
        type="button"
        disabled={!tag || busy}
        onClick={async () => {
          if (!tag) return;
          setBusy(true);
          try {
            await onAdd(tag);
            setChosen("");
          } finally {
            setBusy(false);
          }
        }}
      >
        Add tag
      </button>
    </span>
  );
}
