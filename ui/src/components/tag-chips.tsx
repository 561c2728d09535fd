import type { AttachedTag } from "../api/types";

/**
 * Tags with their web-inbox colour (a border, so the text keeps its contrast); with
 * `onRemove`, each has a button that takes it off.
 */
export const TagChips = ({ tags, onRemove }: { tags: AttachedTag[]; onRemove?: (tag: AttachedTag) => void }) =>
  tags.length ? (
    <span class="tags">
      {tags.map((tag) => (
        <span key={tag.tagging_id} class="tag" style={tag.web_inbox_color ? { borderColor: tag.web_inbox_color } : undefined}>
          {tag.name}
          {onRemove && (
            <button type="button" class="tag-remove" aria-label={`Remove tag ${tag.name}`} onClick={() => onRemove(tag)}>
              ×
            </button>
          )}
        </span>
      ))}
    </span>
  ) : null;
