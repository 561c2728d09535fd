/**
 * The API's errors in words. Bodies are Django REST framework's: `{"detail": "..."}`, or
 * per-field lists (`{"text": ["..."]}`, `{"non_field_errors": [...]}`), possibly nested.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const STATUS_WORDS: Record<number, string> = {
  403: "You are not allowed to do this (or your session has ended).",
  404: "Not found.",
  413: "That is too large for the server.",
  429: "Too many attempts: wait a moment and try again.",
  502: "WhatsApp (the provider) refused or did not answer.",
  503: "The server is busy right now: try again in a moment.",
};

function flatten(body: unknown, field: string | null): string[] {
  if (typeof body === "string") return [field && field !== "non_field_errors" && field !== "detail" ? `${field}: ${body}` : body];
  if (Array.isArray(body)) return body.flatMap((item) => flatten(item, field));
  if (body && typeof body === "object") {
    return Object.entries(body).flatMap(([key, value]) => flatten(value, field ? `${field}.${key}` : key));
  }
  return [];
}

export function errorText(body: unknown, status: number): string {
  const lines = flatten(body, null).filter(Boolean);
  if (lines.length) return lines.join(" ");
  return STATUS_WORDS[status] ?? `The server answered ${status}.`;
}

export const NETWORK_ERROR = "Could not reach Switchboard: check your connection and try again.";

/** Anything thrown, as a sentence for the person looking at the screen. */
export const messageOf = (e: unknown) => (e instanceof Error ? e.message : String(e));
