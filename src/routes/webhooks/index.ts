import { createApp } from "../../http/openapi";
import { registerCreateWebhook } from "./create";
import { registerDeliveries } from "./deliveries";
import { registerDestroyWebhook } from "./destroy";
import { registerListWebhooks } from "./list";
import { registerRetrieveWebhook } from "./retrieve";
import { registerRotateSecret } from "./rotate";
import { registerUpdateWebhook } from "./update";

/** `/webhooks/waba/...`: per-user WABA webhooks, their secrets and delivery logs. */
export const webhooks = createApp();
registerListWebhooks(webhooks);
registerCreateWebhook(webhooks);
registerRetrieveWebhook(webhooks);
registerUpdateWebhook(webhooks);
registerDestroyWebhook(webhooks);
registerRotateSecret(webhooks);
registerDeliveries(webhooks);
