import { app } from "./app";
import { consumeDeliveries } from "./queues/consumer";

export { InboxObject } from "./inbox/inbox-object";

export default {
  fetch: app.fetch,
  queue: consumeDeliveries,
} satisfies ExportedHandler<Env>;
