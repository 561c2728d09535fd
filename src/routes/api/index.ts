import { createApp } from "../../http/openapi";
import { authenticate } from "../../middleware/auth";
import { resolveInbox } from "../../middleware/inbox";
import { apiKeys } from "../api-keys";
import { registerLogout } from "../auth/logout";
import { registerObtainToken } from "../auth/token";
import { chatAssignment } from "../chat-assignment";
import { chats } from "../chats";
import { contactProviders } from "../contact-providers";
import { contacts } from "../contacts";
import { groups } from "../groups";
import { media } from "../media";
import { messages } from "../messages";
import { persons } from "../persons";
import { plugins } from "../plugins";
import { ruleEngine } from "../rule-engine";
import { savedResponses } from "../saved-responses";
import { settings } from "../settings";
import { stages } from "../stages";
import { taggings } from "../taggings";
import { tags } from "../tags";
import { templates } from "../templates";
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
api.route("/", settings);
api.route("/", templates);
api.route("/", plugins);
api.route("/", contacts);
api.route("/", contactProviders);
api.route("/", stages);
