import { app } from "./app";
import { consumeQueue } from "./queues/consumer";

export { InboxObject } from "./inbox/inbox-object";

export default {
  fetch: app.fetch,
  queue: consumeQueue,
} satisfies ExportedHandler<Env>;
