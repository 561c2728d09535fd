import type { Db } from "../db/client";
import { getNumberChecks, saveNumberChecks } from "../db/queries/contacts";
import type { Inbox } from "../db/queries/inboxes";
import { upstreamFailed } from "../errors";
import { type CheckOptions, checkContacts, type NumberCheck } from "../providers/contact-check";
import { ProviderError } from "../providers/upstream";
import { inboxSecrets } from "./inboxes";

/** As long as WhatsApp's own contacts cache keeps an answer. */
export const CHECK_TTL_SECONDS = 7 * 24 * 60 * 60;

/**
 * `POST /contacts/verify/`: answers from the inbox's cache of the last 7 days, asks the
 * provider for the rest (everything with `forceCheck`), and keeps its final answers
 * (`valid`, `invalid`); `processing` and `failed` are asked again next time.
 * One answer per input, in the order given (repeated inputs are asked once).
 */
export async function verifyContacts(env: Env, db: Db, inbox: Inbox, inputs: string[], options: CheckOptions): Promise<NumberCheck[]> {
  const now = Math.floor(Date.now() / 1000);
  const unique = [...new Set(inputs)];
  const cached = options.forceCheck ? [] : await getNumberChecks(db, inbox.id, unique, now - CHECK_TTL_SECONDS);
  const known = new Map<string, NumberCheck>(
    cached.map((r) => [r.input, r.waId ? { input: r.input, status: r.status, wa_id: r.waId } : { input: r.input, status: r.status }]),
  );
  const missing = unique.filter((input) => !known.has(input));
  if (missing.length) {
    let fresh: NumberCheck[];
    try {
      fresh = await checkContacts({ ...inbox, secrets: await inboxSecrets(env, inbox) }, missing, options);
    } catch (e) {
      if (!(e instanceof ProviderError)) throw e;
      throw upstreamFailed("The WhatsApp provider could not check the contacts.", e.body);
    }
    for (const check of fresh) known.set(check.input, check);
    const final = fresh.filter((c) => c.status === "valid" || c.status === "invalid");
    await saveNumberChecks(
      db,
      inbox.id,
      final.map((c) => ({ input: c.input, status: c.status, waId: c.wa_id ?? null })),
      now,
    );
  }
  return inputs.map((input) => known.get(input) ?? { input, status: "failed" });
}
