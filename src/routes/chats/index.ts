import { createApp } from "../../http/openapi";
import { registerListChats } from "./list";
import { registerRetrieveChat } from "./retrieve";

/** `/chats/...`. */
export const chats = createApp();
registerListChats(chats);
registerRetrieveChat(chats);
