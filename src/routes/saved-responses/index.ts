import { createApp } from "../../http/openapi";
import { registerCreateSavedResponse } from "./create";
import { registerDestroySavedResponse } from "./destroy";
import { registerListSavedResponses } from "./list";
import { registerRetrieveSavedResponse } from "./retrieve";

/** `/saved_responses/...`: the workspace's canned replies. */
export const savedResponses = createApp();
registerListSavedResponses(savedResponses);
registerCreateSavedResponse(savedResponses);
registerRetrieveSavedResponse(savedResponses);
registerDestroySavedResponse(savedResponses);
