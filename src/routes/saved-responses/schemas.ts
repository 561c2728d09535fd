import { z } from "@hono/zod-openapi";
import type { SavedResponse } from "../../db/queries/saved-responses";
import { PageQuery } from "../../services/pagination";

export const SavedResponseBody = z.object({
  text: z.string().trim().min(1, "This field may not be blank.").max(4096, "Ensure this field has no more than 4096 characters."),
});
export const SavedResponseQuery = PageQuery.extend({
  search: z.string().trim().max(200).optional().openapi({ description: "Only responses whose text contains this (any case)." }),
});

export const SavedResponseSchema = z
  .object({
    id: z.number().int(),
    text: z.string(),
    created_by: z
      .string()
      .nullable()
      .openapi({ description: "The creator's username (a string, as the seed has it); null once that user is deleted." }),
    timestamp: z.number().int().openapi({ description: "Creation time, POSIX seconds." }),
  })
  .openapi("SavedResponse");

export const toSavedResponseWire = (r: SavedResponse): z.infer<typeof SavedResponseSchema> => ({
  id: r.id,
  text: r.text,
  created_by: r.username,
  timestamp: r.createdAt,
});
