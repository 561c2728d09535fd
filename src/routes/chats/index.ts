import { createApp } from "../../http/openapi";
import { registerListChats } from "./list";
import { registerResolveChat } from "./resolve";
import { registerRetrieveChat } from "./retrieve";

/** `/chats/...`. */
export const chats = createApp();
registerListChats(chats);
registerRetrieveChat(chats);
registerResolveChat(chats);
