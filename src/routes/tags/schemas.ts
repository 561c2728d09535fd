import { z } from "@hono/zod-openapi";
import type { Tag } from "../../db/queries/tags";
import { uniqueField } from "../../services/unique";

export const TagSchema = z
  .object({ id: z.number().int(), name: z.string(), web_inbox_color: z.string().nullable() })
  .openapi("Tag", { description: "A tag of the workspace, for tagging chats and messages." });

export const TagBody = z.object({
  name: z.string().trim().min(1, "This field may not be blank.").max(1000, "Ensure this field has no more than 1000 characters."),
  web_inbox_color: z.string().max(1000, "Ensure this field has no more than 1000 characters.").nullable().optional(),
});
export const PatchTagBody = TagBody.partial();

export const toTagWire = (t: Tag) => ({ id: t.id, name: t.name, web_inbox_color: t.webInboxColor });
/** Saves through the UNIQUE index on the lower-case name, so a race cannot create twins. */
export const uniqueTagName = <T>(write: () => Promise<T>) =>
  uniqueField(write, "tags.name_key", "name", "tag with this name already exists.");
