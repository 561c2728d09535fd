import type { AttachedTag } from "../api/types";

/** Tags with their web-inbox colour (a border, so the text keeps its contrast). */
export const TagChips = ({ tags }: { tags: AttachedTag[] }) =>
  tags.length ? (
    <span class="tags">
      {tags.map((tag) => (
        <span key={tag.tagging_id} class="tag" style={tag.web_inbox_color ? { borderColor: tag.web_inbox_color } : undefined}>
          {tag.name}
        </span>
      ))}
    </span>
  ) : null;
