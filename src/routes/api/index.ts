import { createApp } from "../../http/openapi";
import { authenticate } from "../../middleware/auth";
import { resolveInbox } from "../../middleware/inbox";
import { registerLogout } from "../auth/logout";
import { registerObtainToken } from "../auth/token";
import { chatAssignment } from "../chat-assignment";
import { registerChats } from "../chats/list";
import { groups } from "../groups";
import { media } from "../media";
import { registerCreateMessage } from "../messages/create";
import { registerListMessages } from "../messages/list";
import { registerMarkAsReceived } from "../messages/mark-as-received";
import { registerPersons } from "../persons/list";
import { taggings } from "../taggings";
import { tags } from "../tags";
import { users } from "../users";
import { registerApiRoot } from "./root";

/**
 * The seed's `/api/v1/`, mounted bare, under `/inboxes/{inboxId}/` and for mapped
 * hostnames: every request first resolves its inbox, then its credential.
 */
export const api = createApp();
api.use(resolveInbox, authenticate);
registerApiRoot(api);
registerObtainToken(api);
registerLogout(api);
api.route("/", users);
api.route("/", groups);
registerChats(api);
registerListMessages(api);
registerCreateMessage(api);
registerMarkAsReceived(api);
registerPersons(api);
api.route("/", media);
api.route("/", tags);
api.route("/", taggings);
api.route("/", chatAssignment);
