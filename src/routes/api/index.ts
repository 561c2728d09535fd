import { createApp } from "../../http/openapi";
import { authenticate } from "../../middleware/auth";
import { resolveInbox } from "../../middleware/inbox";
import { apiKeys } from "../api-keys";
import { registerLogout } from "../auth/logout";
import { registerObtainToken } from "../auth/token";
import { chatAssignment } from "../chat-assignment";
import { chats } from "../chats";
import { groups } from "../groups";
import { media } from "../media";
import { messages } from "../messages";
import { persons } from "../persons";
import { ruleEngine } from "../rule-engine";
import { savedResponses } from "../saved-responses";
import { taggings } from "../taggings";
import { tags } from "../tags";
import { users } from "../users";
import { webhooks } from "../webhooks";
import { whatsappAccounts } from "../whatsapp-accounts";
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
api.route("/", chats);
api.route("/", messages);
api.route("/", persons);
api.route("/", media);
api.route("/", tags);
api.route("/", taggings);
api.route("/", chatAssignment);
api.route("/", webhooks);
api.route("/", ruleEngine);
api.route("/", savedResponses);
api.route("/", whatsappAccounts);
api.route("/", apiKeys);
