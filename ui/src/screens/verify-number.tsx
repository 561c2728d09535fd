import { useEffect, useState } from "preact/hooks";
import { api, call } from "../api/client";
import type { NumberCheck } from "../api/types";
import { ErrorNotice } from "../components/error-notice";
import { useAction } from "../hooks/use-load";
import { followLink, href } from "../router";

/**
 * Checks a number (`POST /contacts/verify/`, waiting for the answer) and, when it is a
 * WhatsApp id, links to its thread, where a template starts the chat (the 24-hour window
 * stays closed until the customer writes). On-premises inboxes ask WhatsApp; cloud and
 * sandbox inboxes can only check that the number is well formed.
 */
export type CheckRequest = { number: string; seq: number };

const REFUSED: Record<Exclude<NumberCheck["status"], "valid">, (input: string) => string> = {
  invalid: (input) => `${input} is not a WhatsApp number: check it, with its country code (for example +49 for Germany).`,
  processing: () => "WhatsApp is still checking this number: check it again in a moment.",
  failed: () => "WhatsApp could not check this number: try again later.",
};

function Answer({ check }: { check: NumberCheck }) {
  if (check.status !== "valid" || !check.wa_id) {
    return (
      <p class="error" role="alert">
        {REFUSED[check.status === "valid" ? "failed" : check.status](check.input)}
      </p>
    );
  }
  const path = `/main/chat/${encodeURIComponent(check.wa_id)}`;
  return (
    <div class="verified" role="status">
      <p>
        {check.input} is valid: its WhatsApp id is {check.wa_id}.
      </p>
      <a href={href(path)} onClick={(event) => followLink(event, path)}>
        Write to +{check.wa_id}
      </a>
      <p class="hint">A new chat starts with a template; once the customer answers, any message can follow.</p>
    </div>
  );
}

export function VerifyNumber({ request }: { request: CheckRequest | null }) {
  const [number, setNumber] = useState("");
  const [check, setCheck] = useState<NumberCheck | null>(null);
  const { busy, error, run } = useAction();

  const verify = (input: string) => {
    const contact = input.trim();
    if (!contact) return;
    setCheck(null);
    void run(async () => {
      const answer = await call(api.POST("/api/v1/contacts/verify/", { body: { contacts: [contact], blocking: "wait" } }));
      setCheck(answer.contacts[0] ?? null);
    });
  };
  useEffect(() => {
    if (!request) return;
    setNumber(request.number);
    verify(request.number);
    document.getElementById("verify-number")?.scrollIntoView({ block: "center" });
  }, [request]);

  return (
    <section class="verify" aria-labelledby="verify-title">
      <h2 id="verify-title">Check a number and start a chat</h2>
      <form
        class="inline"
        onSubmit={(event) => {
          event.preventDefault();
          verify(number);
        }}
      >
        <label for="verify-number">Phone number with its country code</label>
        <input
          id="verify-number"
          type="tel"
          autocomplete="off"
          placeholder="+49 151 2345678"
          required
          value={number}
          onInput={(event) => setNumber(event.currentTarget.value)}
        />
        <button type="submit" disabled={busy}>
          {busy ? "Checking…" : "Check"}
        </button>
      </form>
      <ErrorNotice error={error} />
      {check && <Answer check={check} />}
    </section>
  );
}
