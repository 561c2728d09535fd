import { z } from "@hono/zod-openapi";
import { CHAT_ACCESS, ROLES } from "../../db/schema";
import { UserSchema } from "../../services/users";

export const Username = z
  .string()
  .min(1)
  .max(150)
  .regex(/^[A-Za-z0-9]+$/, "Only alphanumeric characters are allowed (A-Z, a-z, 0-9).");
const Name = z.string().max(150, "Ensure this field has no more than 150 characters.");
const Email = z.union([z.literal(""), z.email("Enter a valid email address.").max(254)]);
const Profile = z.strictObject({ role: z.enum(ROLES) });
/** Groups as the User shape returns them (`[{id, name}]`) or as bare ids. */
const GroupRefs = z
  .array(z.union([z.coerce.number().int().positive(), z.object({ id: z.coerce.number().int().positive() }).transform((g) => g.id)]))
  .max(100);
const Permissions = z.strictObject({
  can_use_tags: z.boolean(),
  can_read_chats: z.enum(CHAT_ACCESS),
  can_write_to_chats: z.enum(CHAT_ACCESS),
});

export const CreateUserBody = z.object({
  username: Username,
  first_name: Name.optional(),
  last_name: Name.optional(),
  email: Email.optional(),
  profile: Profile.optional(),
});

export const CreatedUserSchema = UserSchema.extend({
  activation_url: z.string().url().openapi({ description: "Returned once, on creation." }),
}).openapi("CreatedUser");

/** PUT: every field the seed marks required must be present; PATCH: `.partial()`. */
export const UpdateUserBody = z.object({
  username: Username,
  first_name: Name.optional(),
  last_name: Name.optional(),
  email: Email,
  profile: Profile.optional(),
  groups: GroupRefs,
  permissions: Permissions,
});
export const PatchUserBody = UpdateUserBody.extend({ permissions: Permissions.partial() }).partial();
export type UserChanges = z.infer<typeof PatchUserBody>;

const Password = z.string().min(1).max(4096);
export const ChangeOwnPasswordBody = z.object({ current_password: Password, new_password: Password });
export const SetPasswordBody = z.object({ password: Password });
