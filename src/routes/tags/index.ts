import { createApp } from "../../http/openapi";
import { registerCreateTag } from "./create";
import { registerDestroyTag } from "./destroy";
import { registerListTags } from "./list";
import { registerRetrieveTag } from "./retrieve";
import { registerUpdateTag } from "./update";

/** `/tags/...`: the workspace's tags. */
export const tags = createApp();
registerListTags(tags);
registerCreateTag(tags);
registerRetrieveTag(tags);
registerUpdateTag(tags);
registerDestroyTag(tags);
