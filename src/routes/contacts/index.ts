import { createApp } from "../../http/openapi";
import { registerListContacts } from "./list";
import { registerRetrieveContact } from "./retrieve";
import { registerVerifyContacts } from "./verify";

/** `/contacts/...`: the inbox's contact providers asked together, and number verification. */
export const contacts = createApp();
registerListContacts(contacts);
registerVerifyContacts(contacts);
registerRetrieveContact(contacts);
