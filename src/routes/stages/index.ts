import { createApp } from "../../http/openapi";
import { registerCreateStage } from "./create";
import { registerDestroyStage } from "./destroy";
import { registerListStages } from "./list";
import { registerRetrieveStage } from "./retrieve";
import { registerUpdateStage } from "./update";

/** `/stages/...`: the workspace's pipeline stages, which contacts are moved through. */
export const stages = createApp();
registerListStages(stages);
registerCreateStage(stages);
registerRetrieveStage(stages);
registerUpdateStage(stages);
registerDestroyStage(stages);
