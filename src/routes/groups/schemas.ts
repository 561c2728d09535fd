import { z } from "@hono/zod-openapi";
import type { Group } from "../../db/queries/groups";

export const GroupBody = z.object({
  name: z.string().trim().min(1, "This field may not be blank.").max(150, "Ensure this field has no more than 150 characters."),
});
export const GROUP_NAME_TAKEN = { name: ["group with this name already exists."] };
export const toGroupWire = (g: Group) => ({ id: g.id, name: g.name });
