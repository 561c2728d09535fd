import { createApp } from "../../http/openapi";
import { registerCreateGroup } from "./create";
import { registerDestroyGroup } from "./destroy";
import { registerListGroups } from "./list";
import { registerRetrieveGroup } from "./retrieve";
import { registerUpdateGroup } from "./update";

/** `/groups/...`: the role groups and the workspace's custom groups. */
export const groups = createApp();
registerListGroups(groups);
registerCreateGroup(groups);
registerRetrieveGroup(groups);
registerUpdateGroup(groups);
registerDestroyGroup(groups);
