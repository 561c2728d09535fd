import { createApp } from "../../http/openapi";
import { registerAssignmentEvents } from "./events";
import { registerRetrieveAssignment } from "./retrieve";
import { registerUpdateAssignment } from "./update";

/** `/chat_assignment/{wa_id}/` and `/chat_assignment_events/`. */
export const chatAssignment = createApp();
registerRetrieveAssignment(chatAssignment);
registerUpdateAssignment(chatAssignment);
registerAssignmentEvents(chatAssignment);
