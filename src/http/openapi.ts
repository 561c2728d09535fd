import { OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "../context";
import { notFound, validationError } from "../errors";

export type App = OpenAPIHono<AppEnv>;

/** A sub-app whose query/path validation failures become DRF-style 400s via the one error module. */
export function createApp(): App {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (!result.success) throw validationError(result.error);
    },
  });
}

export const ErrorSchema = z
  .object({
    detail: z.string().optional().openapi({ description: "What went wrong, for errors that concern no single field." }),
    non_field_errors: z.array(z.string()).optional().openapi({ description: "Problems of the body as a whole." }),
  })
  .catchall(z.union([z.array(z.string()), z.record(z.string(), z.unknown())]))
  .openapi("Error", {
    description: 'Django-REST-style error: `{"detail": "..."}`, or per field `{"field": ["message"]}` (nested objects for nested fields).',
  });

const error = (description: string) => ({ description, content: { "application/json": { schema: ErrorSchema } } });

/** Error responses every authenticated endpoint can give. */
export const errorResponses = {
  400: error("Invalid input; the body names each field's problem."),
  403: error("Not authenticated, or not permitted."),
  404: error("Not found (also: a credential of another workspace)."),
} as const;

export const json = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { "application/json": { schema } },
});

/** Path ids are integers in this API (DRF's `<int:pk>`); anything else is a 404, not a 400, so the string is read by `pathId`. */
export const IntId = z.string().openapi({ param: { name: "id", in: "path" }, type: "integer", example: 1 });

/** An `IntId` path parameter as a number; a malformed one is answered like an id that does not exist. */
export function pathId(id: string): number {
  if (!/^\d{1,15}$/.test(id)) throw notFound();
  return Number(id);
}

/** For `createRoute`: an operation anyone may call. Every other operation needs a credential. */
export const PUBLIC = { security: [] as Record<string, string[]>[] };
