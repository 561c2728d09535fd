import { z } from "zod";
import { call, providerError, readJson, readSettings } from "../providers/upstream";
import { urlProblem } from "../webhooks/url-policy";
import type { ContactBook, ContactEntry, InstalledProvider } from "./provider";

/**
 * Any HTTP directory that speaks this JSON (type `http`):
 *   GET {url}?search=<text, may be empty>&limit=<n>&page=<1, or the last next_page>
 *   GET {url}?phone_number=<WhatsApp id: digits, no +>
 * both answered with
 *   {"count"?: int|null, "next_page"?: string|int|null,
 *    "results": [{"name": "...", "phone_numbers": ["+49…" | {"phone_number", "description"?}],
 *                 "email_addresses"?: ["a@b.c" | {"email_address", "description"?}]}]}
 * A configured `token` is sent as `Authorization: Bearer <token>`. Parameters already in
 * the URL (e.g. `?auth=`) are kept.
 */

const Settings = z.object({ url: z.string().min(1), token: z.string().min(1).optional() });

const Text = (max: number) => z.string().max(max);
const Phone = z.union([
  Text(100).transform((phone_number) => ({ phone_number, description: "" })),
  z
    .looseObject({ phone_number: Text(100), description: Text(200).nullish() })
    .transform((v) => ({ phone_number: v.phone_number, description: v.description ?? "" })),
]);
const Email = z.union([
  Text(320).transform((email_address) => ({ email_address, description: "" })),
  z
    .looseObject({ email_address: Text(320), description: Text(200).nullish() })
    .transform((v) => ({ email_address: v.email_address, description: v.description ?? "" })),
]);

const Entry = z.looseObject({
  name: Text(1000).nullish(),
  phone_numbers: z.array(Phone).max(100).nullish(),
  email_addresses: z.array(Email).max(100).nullish(),
});
const Answer = z.looseObject({
  count: z.number().int().min(0).nullish(),
  next_page: z.union([z.string().min(1).max(200), z.number().int()]).nullish(),
  results: z.array(Entry),
});

/** A directory that ignores `limit` (the seed allows that) is cut here, so one book cannot flood a page. */
const MAX_RESULTS = 1000;

export function httpDirectory(provider: InstalledProvider, localUrls: boolean): ContactBook {
  const settings = readSettings(provider, Settings);

  async function get(params: Record<string, string>) {
    const url = new URL(settings.url);
    for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
    const target = url.toString();
    // Checked again before every call: the policy may have tightened since the URL was saved.
    const problem = urlProblem(target, localUrls);
    if (problem) throw providerError(400, `Not called: ${problem}`);
    const headers: Record<string, string> = { Accept: "application/json" };
    if (settings.token) headers.Authorization = `Bearer ${settings.token}`;
    // No redirects: a public URL must not bounce our request (and its token) to a private one.
    const answer = await readJson(await call(target, { headers, redirect: "manual" }), target, Answer);
    return { ...answer, results: answer.results.slice(0, MAX_RESULTS).map(toEntry) };
  }

  return {
    async search({ search, limit, page }) {
      const answer = await get({ search, limit: String(limit), page: page ?? "1" });
      return { results: answer.results, count: answer.count ?? null, next: answer.next_page == null ? null : String(answer.next_page) };
    },

    async lookup(waId) {
      return (await get({ phone_number: waId })).results;
    },
  };
}

function toEntry(e: z.output<typeof Entry>): ContactEntry {
  return { name: e.name ?? "", phone_numbers: e.phone_numbers ?? [], email_addresses: e.email_addresses ?? [] };
}
