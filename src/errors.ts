import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { z } from "zod";

/**
 * The one error type handlers throw. Its body is Django-REST-style: either
 * `{"detail": "..."}` or per-field `{"field": ["message"]}`.
 */
export class ApiError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly body: Record<string, unknown>,
    readonly headers: Record<string, string> = {},
  ) {
    super(typeof body.detail === "string" ? body.detail : JSON.stringify(body));
  }
}

export const notFound = () => new ApiError(404, { detail: "Not found." });
/** DRF answers 403 (not 401) when its first authenticator sends no `WWW-Authenticate`, as the seed shows. */
export const notAuthenticated = (detail = "Authentication credentials were not provided.") => new ApiError(403, { detail });
export const forbidden = (detail = "You do not have permission to perform this action.") => new ApiError(403, { detail });
export const badRequest = (detail: string) => new ApiError(400, { detail });
export const fieldErrors = (fields: Record<string, unknown>) => new ApiError(400, fields);

/** Turns zod issues into DRF's nested `{"field": ["message"]}` shape. */
export function validationError(error: z.ZodError): ApiError {
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
  return new ApiError(400, body);
}

function issueMessage(issue: z.core.$ZodIssue): string {
  if (issue.code === "invalid_type" && issue.input === undefined) return "This field is required.";
  if (issue.code === "invalid_type" && issue.input === null) return "This field may not be null.";
  if (issue.code === "unrecognized_keys") return `Unknown field(s): ${issue.keys.join(", ")}.`;
  return issue.message;
}

/** The single `onError`: every error body in the Worker is written here. */
export function renderError(err: unknown, c: Context): Response {
  if (err instanceof ApiError) {
    return c.json(err.body, err.status, err.headers);
  }
  if (err instanceof z.ZodError) {
    const e = validationError(err);
    return c.json(e.body, e.status);
  }
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
