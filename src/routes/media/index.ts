import { createApp } from "../../http/openapi";
import { registerCreateMedia } from "./create";
import { registerRetrieveMedia } from "./retrieve";

/** `/media/...`: uploads, and inbound media the queue fetched from the provider. */
export const media = createApp();
registerCreateMedia(media);
registerRetrieveMedia(media);
