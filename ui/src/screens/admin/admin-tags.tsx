import { api, call, callEmpty } from "../../api/client";
import type { Tag } from "../../api/types";
import { ErrorNotice } from "../../components/error-notice";
import { reloadDirectory } from "../../directory";
import { useAction, useLoad } from "../../hooks/use-load";

/**
 * Tags with their ids (rule engines name tags by id) and web-inbox colours: create,
 * recolour or rename, delete (which removes every tagging, each with a `removed` event).
 */
const DEFAULT_COLOR = "#0b6e4f";

function TagRow({ tag, onChanged }: { tag: Tag; onChanged: () => void }) {
  const { busy, error, run } = useAction();
  return (
    <tr>
      <td class="tag-id">{tag.id}</td>
      <td>
        <form
          class="inline"
          onSubmit={(event) => {
            event.preventDefault();
            const data = new FormData(event.currentTarget as HTMLFormElement);
            const body = { name: String(data.get("name") ?? ""), web_inbox_color: String(data.get("color") ?? "") || null };
            void run(() => call(api.PATCH("/api/v1/tags/{id}/", { params: { path: { id: tag.id } }, body })).then(onChanged));
          }}
        >
          <span class="swatch" style={{ background: tag.web_inbox_color ?? "transparent" }} aria-hidden="true" />
          <label class="sr-only" for={`tag-name-${tag.id}`}>
            Name of tag {tag.name}
          </label>
          <input id={`tag-name-${tag.id}`} name="name" defaultValue={tag.name} required />
          <label class="sr-only" for={`tag-color-${tag.id}`}>
            Colour of tag {tag.name}
          </label>
          <input id={`tag-color-${tag.id}`} name="color" type="color" class="color" defaultValue={tag.web_inbox_color ?? DEFAULT_COLOR} />
          <button type="submit" class="secondary" disabled={busy}>
            Save
          </button>
        </form>
      </td>
      <td>
        <button
          type="button"
          class="danger"
          disabled={busy}
          onClick={() => void run(() => callEmpty(api.DELETE("/api/v1/tags/{id}/", { params: { path: { id: tag.id } } })).then(onChanged))}
        >
          Delete {tag.name}
        </button>
        <ErrorNotice error={error} />
      </td>
    </tr>
  );
}

export function AdminTags() {
  const tags = useLoad(() => call(api.GET("/api/v1/tags/", { params: { query: { limit: 1000 } } })));
  const create = useAction();
  const changed = () => {
    void tags.reload();
    void reloadDirectory();
  };
  return (
    <section aria-label="Tags">
      <ErrorNotice error={tags.error} />
      {tags.data && (
        <table>
          <caption>Tags</caption>
          <thead>
            <tr>
              <th scope="col">Id</th>
              <th scope="col">Name and colour</th>
              <th scope="col">Delete</th>
            </tr>
          </thead>
          <tbody>
            {tags.data.results.map((t) => (
              <TagRow key={t.id} tag={t} onChanged={changed} />
            ))}
          </tbody>
        </table>
      )}
      <form
        class="stack admin-form"
        aria-labelledby="create-tag-title"
        onSubmit={(event) => {
          event.preventDefault();
          const form = event.currentTarget as HTMLFormElement;
          const data = new FormData(form);
          void create.run(async () => {
            await call(
              api.POST("/api/v1/tags/", { body: { name: String(data.get("name") ?? ""), web_inbox_color: String(data.get("color")) } }),
            );
            form.reset();
            changed();
          });
        }}
      >
        <h2 id="create-tag-title">Create a tag</h2>
        <label for="new-tag">Tag name</label>
        <input id="new-tag" name="name" required />
        <label for="new-tag-color">Colour</label>
        <input id="new-tag-color" name="color" type="color" class="color" defaultValue={DEFAULT_COLOR} />
        <ErrorNotice error={create.error} />
        <button type="submit" disabled={create.busy}>
          Create tag
        </button>
      </form>
    </section>
  );
}
