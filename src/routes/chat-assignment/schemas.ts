import { z } from "@hono/zod-openapi";
import { GroupSchema, UserSchema } from "../../services/users";

const Ref = z.coerce.number().int().positive().nullable();

export const AssignmentSchema = z
  .object({ wa_id: z.string(), assigned_to_user: z.number().int().nullable(), assigned_group: z.number().int().nullable() })
  .openapi("ChatAssignment");

/** PUT names both (either may be null); PATCH one or both. `wa_id` in the body (the vendor client sends it) is the path's. */
export const PutAssignmentBody = z.object({ wa_id: z.string().max(100).optional(), assigned_to_user: Ref, assigned_group: Ref });
export const PatchAssignmentBody = PutAssignmentBody.partial();

export const AssignmentEventSchema = z
  .object({
    timestamp: z.number().int(),
    wa_id: z.string(),
    assigned_to_user_set: UserSchema.nullable(),
    assigned_to_user_was_cleared: z.boolean(),
    assigned_group_set: GroupSchema.nullable(),
    assigned_group_was_cleared: z.boolean(),
    done_by: UserSchema.nullable(),
  })
  .openapi("ChatAssignmentEvent");
