import { z } from "@hono/zod-openapi";
import type { Db } from "../db/client";
import { type GroupRef, insertUser, type NewUser, type User } from "../db/queries/users";
import { CHAT_ACCESS, ROLES, type Role } from "../db/schema";
import { ROLE_DEFAULTS } from "./permissions";
import { USERNAME_TAKEN, uniqueField } from "./unique";

export const GroupSchema = z.object({ id: z.number().int(), name: z.string() }).openapi("Group");

export const PermissionsSchema = z
  .object({
    can_use_tags: z.boolean(),
    can_read_chats: z.enum(CHAT_ACCESS),
    can_write_to_chats: z.enum(CHAT_ACCESS),
  })
  .openapi("Permissions", {
    description:
      "Chat access levels: `all` every chat; `group` chats assigned to the user or one of their groups; `assigned` chats assigned to the user; `none` no chat.",
  });

export const UserSchema = z
  .object({
    url: z.string().url(),
    id: z.number().int(),
    uuid: z.uuid().openapi({ description: "The user's v4 UUID beside `id`: what seed 003 calls a team member UUID (`agentId`)." }),
    username: z.string(),
    first_name: z.string(),
    last_name: z.string(),
    email: z.string(),
    profile: z.object({
      role: z.enum(ROLES),
      is_available: z.boolean().openapi({ description: "Set at `PATCH /users/{id}/availability`; round robin skips unavailable users." }),
    }),
    groups: z.array(GroupSchema),
    permissions: PermissionsSchema,
  })
  .openapi("User");

export type UserWire = z.infer<typeof UserSchema>;

/**
 * `users.uuid` is nullable only because SQLite cannot add a NOT NULL column without a
 * constant default: every user gets one at insert (`$defaultFn`) and migration 0014
 * backfilled the others, so a null here is a bug, not a state to show clients.
 */
function userUuid(user: User): string {
  if (user.uuid === null) throw new Error(`user ${user.id} has no uuid`);
  return user.uuid;
}

/** The row-to-wire mapper for users (seed: "User"). */
export function toUserWire(user: User, groups: GroupRef[], baseUrl: string): UserWire {
  return {
    url: `${baseUrl}/api/v1/users/${user.id}/`,
    id: user.id,
    uuid: userUuid(user),
    username: user.username,
    first_name: user.firstName,
    last_name: user.lastName,
    email: user.email,
    profile: { role: user.role, is_available: user.isAvailable },
    groups,
    permissions: {
      can_use_tags: user.canUseTags,
      can_read_chats: user.canReadChats,
      can_write_to_chats: user.canWriteToChats,
    },
  };
}

/**
 * Creates a user in a workspace with their role's default permissions (and so their
 * role group); a taken username is a field error. `credentials` says how they log in.
 */
export function createUser(
  db: Db,
  workspaceId: string,
  fields: { username: string; first_name?: string; last_name?: string; email?: string },
  role: Role,
  credentials: Pick<NewUser, "passwordHash" | "isActive" | "activationCodeHash">,
): Promise<User> {
  const values = {
    username: fields.username,
    firstName: fields.first_name ?? "",
    lastName: fields.last_name ?? "",
    email: fields.email ?? "",
    role,
    ...ROLE_DEFAULTS[role],
    ...credentials,
  };
  return uniqueField(() => insertUser(db, workspaceId, values), "users.username", "username", USERNAME_TAKEN);
}
