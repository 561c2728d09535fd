import { createApp } from "../../http/openapi";
import { registerCreateTagging } from "./create";
import { registerDestroyTagging } from "./destroy";
import { registerTaggingEvents } from "./events";
import { registerRetrieveTagging } from "./retrieve";

/** `/chat_tagging/...`, `/message_tagging/...` and their `_events/` histories. */
export const taggings = createApp();
for (const kind of ["chat", "message"] as const) {
  registerCreateTagging(taggings, kind);
  registerRetrieveTagging(taggings, kind);
  registerDestroyTagging(taggings, kind);
  registerTaggingEvents(taggings, kind);
}
