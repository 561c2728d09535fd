import { z } from "@hono/zod-openapi";
import type { Group } from "../../db/queries/groups";
import { uniqueField } from "../../services/unique";

export const GroupBody = z.object({
  name: z.string().trim().min(1, "This field may not be blank.").max(150, "Ensure this field has no more than 150 characters."),
});
export const uniqueGroupName = <T>(write: () => Promise<T>) =>
  uniqueField(write, "groups.name", "name", "group with this name already exists.");
export const toGroupWire = (g: Group) => ({ id: g.id, name: g.name });
