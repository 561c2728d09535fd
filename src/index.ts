import { app } from "./app";
import { countQueueReads, countWorkerRequest, meteredEnv, meterOn } from "./meter";
import { consumeQueue } from "./queues/consumer";

export { InboxObject } from "./inbox/inbox-object";

export default {
  fetch(request, env, ctx) {
    if (!meterOn(env)) return app.fetch(request, env, ctx);
    countWorkerRequest();
    return app.fetch(request, meteredEnv(env), ctx);
  },
  queue(batch, env) {
    if (!meterOn(env)) return consumeQueue(batch, env);
    countQueueReads(batch.messages.length);
    return consumeQueue(batch, meteredEnv(env));
  },
} satisfies ExportedHandler<Env>;
