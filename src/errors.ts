import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { z } from "zod";

/**
 * Two error types, one body shape (Django-REST-style: `{"detail": "..."}` or per-field
 * `{"field": ["message"]}`), both rendered by `renderError` below:
 * - `DomainError`: what services, the inbox object and queue consumers throw, a failure
 *   kind with no HTTP in it; the mapping to a status is here (`FAILURE_STATUS`);
 * - `ApiError`: what the HTTP layer (routes, middleware) throws for transport concerns
 *   (413, 415, 405, a bad signature, a 503 with Retry-After, 426).
 */
export type Failure = "invalid" | "not_authenticated" | "forbidden" | "not_found" | "rate_limited" | "upstream_failed";

const FAILURE_STATUS: Record<Failure, ContentfulStatusCode> = {
  invalid: 400,
  // DRF answers 403 (not 401) when its first authenticator sends no `WWW-Authenticate`, as the seed shows.
  not_authenticated: 403,
  forbidden: 403,
  not_found: 404,
  rate_limited: 429,
  upstream_failed: 502,
};

type Body = Record<string, unknown>;

/** An error that carries its answer's body (and headers); the two kinds below differ only in how its status is known. */
abstract class ErrorWithBody extends Error {
  constructor(
    readonly body: Body,
    readonly headers: Record<string, string> = {},
  ) {
    super(typeof body.detail === "string" ? body.detail : JSON.stringify(body));
  }
}

export class DomainError extends ErrorWithBody {
  constructor(
    readonly kind: Failure,
    body: Body,
    headers?: Record<string, string>,
  ) {
    super(body, headers);
  }
}

export class ApiError extends ErrorWithBody {
  constructor(
    readonly status: ContentfulStatusCode,
    body: Body,
    headers?: Record<string, string>,
  ) {
    super(body, headers);
  }
}

export const notFound = () => new DomainError("not_found", { detail: "Not found." });
export const notAuthenticated = (detail = "Authentication credentials were not provided.") =>
  new DomainError("not_authenticated", { detail });
export const forbidden = (detail = "You do not have permission to perform this action.") => new DomainError("forbidden", { detail });
export const badRequest = (detail: string) => new DomainError("invalid", { detail });
export const fieldErrors = (fields: Body) => new DomainError("invalid", fields);
/** A provider refused or failed: our 502 carries its answer as `waba_response`. */
export const upstreamFailed = (detail: string, wabaResponse: unknown) =>
  new DomainError("upstream_failed", { detail, waba_response: wabaResponse });

/** Turns zod issues into DRF's nested `{"field": ["message"]}` shape. */
export function validationError(error: z.ZodError): DomainError {
  const body: Record<string, unknown> = {};
  for (const issue of error.issues) {
    const path = issue.path.length ? issue.path.map(String) : ["non_field_errors"];
    let node = body;
    for (const key of path.slice(0, -1)) {
      const next = node[key];
      node[key] = next && typeof next === "object" && !Array.isArray(next) ? next : {};
      node = node[key] as Record<string, unknown>;
    }
    const leaf = path[path.length - 1] as string;
    const messages = Array.isArray(node[leaf]) ? (node[leaf] as string[]) : [];
    messages.push(issueMessage(issue));
    node[leaf] = messages;
  }
  return new DomainError("invalid", body);
}

/**
 * DRF's wording for a missing or null field. Parses that report their input (`readBody`)
 * say which it was (NaN: a coerced number that was missing); otherwise zod's invalid_type
 * message ends with what it received.
 */
function issueMessage(issue: z.core.$ZodIssue): string {
  const reported = "input" in issue;
  const received = (what: "undefined" | "null") =>
    reported
      ? what === "null"
        ? issue.input === null
        : issue.input === undefined || Number.isNaN(issue.input)
      : issue.message.endsWith(`received ${what}`);
  if ((issue.code === "invalid_type" || issue.code === "invalid_value") && received("undefined")) return "This field is required.";
  if (issue.code === "invalid_type" && received("null")) return "This field may not be null.";
  if (issue.code === "unrecognized_keys") return `Unknown field(s): ${issue.keys.join(", ")}.`;
  return issue.message;
}

/** The single `onError`: every error body in the Worker is written here. */
export function renderError(err: unknown, c: Context): Response {
  if (err instanceof DomainError) return c.json(err.body, FAILURE_STATUS[err.kind], err.headers);
  if (err instanceof ApiError) return c.json(err.body, err.status, err.headers);
  if (err instanceof z.ZodError) return c.json(validationError(err).body, 400);
  if (err instanceof HTTPException) {
    const status = err.status as ContentfulStatusCode;
    const detail =
      status === 413
        ? "Request body is too large."
        : status === 415
          ? `Unsupported media type "${c.req.header("content-type") ?? ""}" in request.`
          : err.message || "Bad request.";
    return c.json({ detail }, status);
  }
  console.error(JSON.stringify({ level: "error", requestId: c.get("requestId"), error: String(err), stack: (err as Error)?.stack }));
  return c.json({ detail: "Internal server error.", request_id: c.get("requestId") }, 500);
}
