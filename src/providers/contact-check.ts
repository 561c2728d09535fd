import { parsePhoneNumberFromString } from "libphonenumber-js";
import { z } from "zod";
import { onpremApi } from "./onprem";
import type { ProviderInbox } from "./provider";
import { readJson } from "./upstream";

/**
 * `POST /v1/contacts` of the on-premises API: whether numbers are on WhatsApp. Only
 * on-prem has it; the Cloud API (and 360dialog, which fronts it) dropped the check, so
 * those and the sandbox answer from number parsing: a number that could be dialled is
 * `valid`, with its digits as `wa_id`. That is not a registration check.
 */

export const CHECK_STATUSES = ["valid", "invalid", "processing", "failed"] as const;
export type NumberCheck = { input: string; status: (typeof CHECK_STATUSES)[number]; wa_id?: string };
export type CheckOptions = { blocking: "wait" | "no_wait"; forceCheck: boolean };

const CheckAnswer = z.looseObject({
  contacts: z.array(
    z.looseObject({
      input: z.string(),
      // A status this code does not know is no answer we can pass on as valid.
      status: z.enum(CHECK_STATUSES).catch("failed"),
      wa_id: z.string().min(1).max(100).optional(),
    }),
  ),
});

/** One answer per input, in the inputs' order; throws ProviderError when the upstream fails. */
export async function checkContacts(inbox: ProviderInbox, inputs: string[], options: CheckOptions): Promise<NumberCheck[]> {
  switch (inbox.provider) {
    case "onprem":
      return onpremCheck(inbox, inputs, options);
    case "cloud":
    case "360dialog":
    case "sandbox":
    case "webchat":
      return inputs.map(parsedCheck);
  }
}

async function onpremCheck(inbox: ProviderInbox, inputs: string[], options: CheckOptions): Promise<NumberCheck[]> {
  const { base, authorized } = onpremApi(inbox);
  const url = `${base}/v1/contacts`;
  const body = JSON.stringify({ blocking: options.blocking, contacts: inputs, force_check: options.forceCheck });
  const answer = await readJson(
    await authorized(url, { method: "POST", headers: { "Content-Type": "application/json" }, body }),
    url,
    CheckAnswer,
  );
  const byInput = new Map(answer.contacts.map((c) => [c.input, c]));
  return inputs.map((input) => {
    const found = byInput.get(input);
    if (!found) return { input, status: "failed" };
    return found.wa_id && found.status !== "invalid"
      ? { input, status: found.status, wa_id: found.wa_id }
      : { input, status: found.status };
  });
}

/** International numbers only (a `+`, `00` or the bare country code): a national number names no country. */
export function parsedCheck(input: string): NumberCheck {
  const text = input.trim();
  const number = parsePhoneNumberFromString(text.startsWith("+") ? text : `+${text.replace(/^00/, "")}`);
  return number?.isValid() ? { input, status: "valid", wa_id: number.number.slice(1) } : { input, status: "invalid" };
}
