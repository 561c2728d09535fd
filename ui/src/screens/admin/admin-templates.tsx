import { api, call, callEmpty } from "../../api/client";
import type { Template } from "../../api/types";
import { ErrorNotice } from "../../components/error-notice";
import { useAction, useLoad } from "../../hooks/use-load";

/**
 * The number's message templates (what may be sent outside the 24-hour window): listed
 * with their status, created with a body (placeholders `{{1}}`, `{{2}}`, … with an
 * example each, as WhatsApp requires) and submitted for approval, deleted by name (every
 * language). Editing is not WhatsApp's: delete and create again.
 */
const CATEGORIES = ["UTILITY", "MARKETING", "AUTHENTICATION"] as const;
const PLACEHOLDER = /\{\{\s*(\d+)\s*\}\}/g;

const bodyOf = (t: Template) => {
  const body = t.components.find((c) => String(c.type).toUpperCase() === "BODY");
  return body && typeof body.text === "string" ? body.text : "";
};

function TemplateRow({ template, onChanged }: { template: Template; onChanged: () => void }) {
  const { busy, error, run } = useAction();
  return (
    <tr>
      <td>{template.name}</td>
      <td>{template.language}</td>
      <td>{template.category}</td>
      <td>
        {template.status}
        {template.rejected_reason ? `: ${template.rejected_reason}` : ""}
      </td>
      <td class="wa-text">{bodyOf(template)}</td>
      <td>
        <button
          type="button"
          class="danger small"
          disabled={busy}
          onClick={() =>
            void run(() =>
              callEmpty(api.DELETE("/api/v1/templates/{name}/", { params: { path: { name: template.name } } })).then(onChanged),
            )
          }
        >
          Delete {template.name}
        </button>
        <ErrorNotice error={error} />
      </td>
    </tr>
  );
}

export function AdminTemplates() {
  const templates = useLoad(() => call(api.GET("/api/v1/templates/", { params: { query: { limit: 1000 } } })));
  const create = useAction();
  return (
    <section aria-label="Templates">
      <ErrorNotice error={templates.error} />
      {templates.data && (
        <table>
          <caption>Templates</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Language</th>
              <th scope="col">Category</th>
              <th scope="col">Status</th>
              <th scope="col">Body</th>
              <th scope="col">Delete</th>
            </tr>
          </thead>
          <tbody>
            {templates.data.results.map((t) => (
              <TemplateRow key={`${t.name}:${t.language}`} template={t} onChanged={() => void templates.reload()} />
            ))}
          </tbody>
        </table>
      )}
      <form
        class="stack admin-form"
        aria-labelledby="create-template-title"
        onSubmit={(event) => {
          event.preventDefault();
          const form = event.currentTarget as HTMLFormElement;
          const data = new FormData(form);
          const text = String(data.get("body") ?? "");
          const count = new Set([...text.matchAll(PLACEHOLDER)].map((m) => m[1])).size;
          const category = CATEGORIES.find((c) => c === data.get("category")) ?? "UTILITY";
          void create.run(async () => {
            await call(
              api.POST("/api/v1/templates/", {
                body: {
                  name: String(data.get("name") ?? ""),
                  category,
                  language: String(data.get("language") ?? ""),
                  components: [
                    {
                      type: "BODY",
                      text,
                      ...(count ? { example: { body_text: [Array.from({ length: count }, (_, i) => `example ${i + 1}`)] } } : {}),
                    },
                  ],
                },
              }),
            );
            form.reset();
            await templates.reload();
          });
        }}
      >
        <h2 id="create-template-title">Create a template</h2>
        <label for="template-name">Name (a-z, 0-9 and _)</label>
        <input id="template-name" name="name" required pattern="[a-z0-9_]+" />
        <label for="template-language">Language</label>
        <input id="template-language" name="language" required defaultValue="en" />
        <label for="template-category">Category</label>
        <select id="template-category" name="category">
          {CATEGORIES.map((c) => (
            <option key={c} value={c}>
              {c}
            </option>
          ))}
        </select>
        <label for="template-body">
          Body (placeholders {"{{1}}"}, {"{{2}}"}, …)
        </label>
        <textarea id="template-body" name="body" required rows={3} />
        <ErrorNotice error={create.error} />
        <button type="submit" disabled={create.busy}>
          Create template
        </button>
      </form>
    </section>
  );
}
