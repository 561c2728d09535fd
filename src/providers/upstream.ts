import { z } from "zod";
import { parseJson } from "../http/json";

/**
 * What every adapter needs to talk to its upstream: one error type, one fetch wrapper
 * and zod-checked readers, so that all four providers fail the same way.
 */

/** An upstream answered non-2xx (`body` is its JSON, or its text), or could not be reached (502). */
export class ProviderError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {
    super(`Provider error ${status}: ${typeof body === "string" ? body : JSON.stringify(body)}`);
    this.name = "ProviderError";
  }
}

const TIMEOUT_MS = 10_000;

/** Same shape as a Graph API error, so callers can relay it like an upstream one. */
export const providerError = (status: number, message: string) => new ProviderError(status, { error: { message } });

const hostOf = (url: string) => {
  try {
    return new URL(url).host;
  } catch {
    return "upstream";
  }
};

/** fetch with a timeout; a non-2xx answer throws with the upstream's body so it can be passed on to our client. */
export async function call(url: string, init: RequestInit = {}): Promise<Response> {
  let res: Response;
  try {
    res = await fetch(url, { ...init, signal: AbortSignal.timeout(TIMEOUT_MS) });
  } catch (error) {
    const timedOut = error instanceof Error && error.name === "TimeoutError";
    // Only the host: paths may carry media ids and query strings signed URLs.
    throw providerError(502, `${hostOf(url)} ${timedOut ? `did not answer within ${TIMEOUT_MS / 1000}s` : "is unreachable"}.`);
  }
  if (!res.ok) throw new ProviderError(res.status, await readBody(res));
  return res;
}

async function readBody(res: Response): Promise<unknown> {
  let text: string;
  try {
    text = await res.text();
  } catch {
    return "";
  }
  const read = parseJson(text);
  return read.ok ? read.value : text.slice(0, 4096);
}

/** Reads a success answer through `schema`; an answer we do not understand is the gateway's fault (502). */
export async function readJson<T extends z.ZodType>(res: Response, url: string, schema: T): Promise<z.output<T>> {
  const parsed = schema.safeParse(await readBody(res));
  if (!parsed.success) throw providerError(502, `Unexpected answer from ${hostOf(url)}: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

export async function readBytes(res: Response, url: string): Promise<ArrayBuffer> {
  try {
    return await res.arrayBuffer();
  } catch {
    throw providerError(502, `${hostOf(url)} broke off the download.`);
  }
}

/**
 * Inbox settings (`config` plus decrypted `secrets`) checked once when the adapter is built,
 * so a half-configured inbox fails clearly instead of calling `undefined/messages`.
 */
export function readSettings<T extends z.ZodType>(
  inbox: { config: Record<string, unknown>; secrets: Record<string, string> },
  schema: T,
): z.output<T> {
  const parsed = schema.safeParse({ ...inbox.config, ...inbox.secrets });
  if (!parsed.success) throw providerError(500, `The inbox's provider configuration is incomplete: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

export const trimSlash = (base: string) => base.replace(/\/+$/, "");

/** Ids go into URL paths: encoding keeps e.g. `../v1/...` from reaching other endpoints with our credentials. */
export const segment = (id: string) => encodeURIComponent(id);
