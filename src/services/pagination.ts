import { z } from "@hono/zod-openapi";

/** The largest page of every list; a larger `limit` is capped to it, as DRF's `max_limit` does. */
export const MAX_LIMIT = 1000;

/** `limit`/`offset` query parameters as DRF's LimitOffsetPagination reads them. */
export const PageQuery = z.object({
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .optional()
    .openapi({ description: `Number of results to return per page; values above ${MAX_LIMIT} are capped to ${MAX_LIMIT}.` }),
  offset: z.coerce.number().int().min(0).optional().openapi({ description: "The initial index from which to return the results." }),
});

export type Page = { limit: number; offset: number };

export function page(query: { limit?: number; offset?: number }, defaultLimit = 100): Page {
  return { limit: Math.min(query.limit ?? defaultLimit, MAX_LIMIT), offset: query.offset ?? 0 };
}

/** The paginated envelope with absolute `next`/`previous` URLs built from the request URL. */
export function paginated<T>(requestUrl: string, { limit, offset }: Page, count: number, results: T[]) {
  const link = (to: number | null) => {
    if (to === null) return null;
    const url = new URL(requestUrl);
    url.searchParams.set("limit", String(limit));
    if (to > 0) url.searchParams.set("offset", String(to));
    else url.searchParams.delete("offset");
    return url.toString();
  };
  return {
    count,
    next: link(offset + limit < count ? offset + limit : null),
    previous: link(offset > 0 ? Math.max(0, offset - limit) : null),
    results,
  };
}

export const paginatedSchema = <T extends z.ZodType>(item: T) =>
  z.object({
    count: z.number().int(),
    next: z.string().url().nullable(),
    previous: z.string().url().nullable(),
    results: z.array(item),
  });
