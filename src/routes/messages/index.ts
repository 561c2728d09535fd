import { createApp } from "../../http/openapi";
import { registerCreateMessage } from "./create";
import { registerListMessages } from "./list";
import { registerMarkAsReceived } from "./mark-as-received";

/** `/messages/...` and `/mark_as_received/`. */
export const messages = createApp();
registerListMessages(messages);
registerCreateMessage(messages);
registerMarkAsReceived(messages);
