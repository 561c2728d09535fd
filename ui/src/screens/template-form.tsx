import { useEffect, useState } from "preact/hooks";
import { api, call } from "../api/client";
import { messageOf } from "../api/errors";
import type { Template } from "../api/types";
import { fillText, templateBody, templateComponents, templateParams } from "../chats/template-params";
import { ErrorNotice } from "../components/error-notice";

/**
 * Sends a template (the only kind of message outside the 24-hour window): the number's
 * approved templates (`GET /templates/`), one field per placeholder, a preview of the
 * text as it will go out, then `POST /messages/` with `type: "template"`.
 */
export function TemplateForm({ waId, onSent }: { waId: string; onSent: () => void }) {
  const [templates, setTemplates] = useState<Template[] | null>(null);
  const [chosen, setChosen] = useState("");
  const [values, setValues] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    call(api.GET("/api/v1/templates/", { params: { query: { limit: 1000 } } })).then(
      (page) => setTemplates(page.results.filter((t) => t.status === "approved")),
      (e) => setError(messageOf(e)),
    );
  }, []);

  const key = (t: Template) => `${t.name}:${t.language}`;
  const template = templates?.find((t) => key(t) === chosen);
  const params = template ? templateParams(template) : [];

  const send = async (event: SubmitEvent) => {
    event.preventDefault();
    if (!template || busy) return;
    setBusy(true);
    setError(null);
    try {
      const components = templateComponents(template, values);
      await call(
        api.POST("/api/v1/messages/", {
          body: {
            wa_id: waId,
            type: "template",
            template: { name: template.name, language: { code: template.language }, ...(components.length ? { components } : {}) },
          },
        }),
      );
      setValues({});
      onSent();
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="template-form" onSubmit={send} aria-labelledby="template-title">
      <h3 id="template-title">Send a template</h3>
      {templates && !templates.length && (
        <p class="empty">This number has no approved template yet (an admin adds them under Admin → Templates).</p>
      )}
      {!templates && !error && <p role="status">Loading templates…</p>}
      {templates && templates.length > 0 && (
        <>
          <label for="template-choice">Template</label>
          <select id="template-choice" value={chosen} onChange={(e) => setChosen(e.currentTarget.value)} required>
            <option value="">Choose a template</option>
            {templates.map((t) => (
              <option key={key(t)} value={key(t)}>
                {t.name} ({t.language})
              </option>
            ))}
          </select>
        </>
      )}
      {template &&
        params.map((p) => {
          const id = `template-${p.component}-${p.name}`;
          return (
            <div key={id} class="field">
              <label for={id}>
                {p.component === "header" ? "Header" : "Body"} parameter {`{{${p.name}}}`}
              </label>
              <input
                id={id}
                required
                value={values[`${p.component}:${p.name}`] ?? ""}
                onInput={(e) => setValues({ ...values, [`${p.component}:${p.name}`]: e.currentTarget.value })}
              />
            </div>
          );
        })}
      {template && (
        <p class="template-preview">
          <span class="sr-only">Preview: </span>
          {fillText(templateBody(template), values, "body")}
        </p>
      )}
      <ErrorNotice error={error} />
      {template && (
        <button type="submit" disabled={busy}>
          {busy ? "Sending…" : "Send template"}
        </button>
      )}
    </form>
  );
}
