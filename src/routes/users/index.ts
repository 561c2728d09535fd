import { createApp } from "../../http/openapi";
import { registerActivateUser } from "./activate";
import { registerAvailability } from "./availability";
import { registerCreateUser } from "./create";
import { registerCurrentUser } from "./current";
import { registerListUsers } from "./list";
import { registerChangeOwnPassword, registerSetPassword } from "./password";
import { registerRetrieveUser } from "./retrieve";
import { registerUpdateUser } from "./update";

/** `/users/...`. Literal paths (`current`, `activate`) are registered before `{id}`. */
export const users = createApp();
registerListUsers(users);
registerCreateUser(users);
registerCurrentUser(users);
registerChangeOwnPassword(users);
registerActivateUser(users);
registerRetrieveUser(users);
registerUpdateUser(users);
registerSetPassword(users);
registerAvailability(users);
