import type { Context } from "hono";
import { z } from "zod";
import { ApiError, validationError } from "../errors";
import { parseJson } from "./json";

/**
 * Request bodies: the seed's clients send JSON, `application/x-www-form-urlencoded`
 * or `multipart/form-data` interchangeably, so every write endpoint reads its body
 * through `readBody`, which parses any of the three and validates with one schema.
 * (zod-openapi's own body validator picks one content type per target; this keeps
 * one code path and one error shape.) Body size is capped by the body-limit middleware,
 * JSON depth and size by `parseJson`.
 */
const FORM_TYPES = ["application/x-www-form-urlencoded", "multipart/form-data"];

/** A JSON-only body (RapidPro v2, seed 003): no body at all is `{}`; any other type is a 415. */
export async function readJsonBody(c: Context): Promise<unknown> {
  const text = await c.req.text();
  if (text.trim() === "") return {};
  const type = (c.req.header("content-type") ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
  if (type !== "application/json" && !type.endsWith("+json")) {
    throw new ApiError(415, { detail: `Unsupported media type "${c.req.header("content-type") ?? ""}" in request.` });
  }
  const read = parseJson(text);
  if (!read.ok) throw new ApiError(400, { detail: read.error });
  return read.value;
}

export async function readRawBody(c: Context): Promise<unknown> {
  const type = (c.req.header("content-type") ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
  if (type === "application/json" || type.endsWith("+json")) {
    const text = await c.req.text();
    if (text.trim() === "") return {};
    const read = parseJson(text);
    if (!read.ok) throw new ApiError(400, { detail: read.error });
    return read.value;
  }
  if (FORM_TYPES.includes(type)) {
    try {
      return await c.req.parseBody({ all: true });
    } catch {
      throw new ApiError(400, { detail: "Malformed form body." });
    }
  }
  if (type === "" && (await c.req.raw.clone().arrayBuffer()).byteLength === 0) return {};
  throw new ApiError(415, { detail: `Unsupported media type "${c.req.header("content-type") ?? ""}" in request.` });
}

export async function readBody<T extends z.ZodType>(c: Context, schema: T, { jsonOnly = false } = {}): Promise<z.infer<T>> {
  const raw = jsonOnly ? await readJsonBody(c) : await readRawBody(c);
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
    throw new ApiError(400, { non_field_errors: ["Invalid data. Expected a dictionary."] });
  }
  const parsed = schema.safeParse(raw, { reportInput: true });
  if (!parsed.success) throw validationError(parsed.error);
  return parsed.data;
}

/**
 * The OpenAPI request body for a schema read with `readBody` or `readJsonBody`
 * (documentation only: no validator runs before the handler's own reading).
 */
export function bodyDoc(schema: z.ZodType, description?: string, { jsonOnly = false, required = true } = {}) {
  const json = z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as Record<string, unknown>;
  delete json.$schema;
  const content = { schema: json };
  const forms = jsonOnly ? {} : { "application/x-www-form-urlencoded": content, "multipart/form-data": content };
  return { required, description, content: { "application/json": content, ...forms } };
}
