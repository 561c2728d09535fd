/**
 * Webhook delivery consumer. Delivery jobs arrive with the fan-out issue; until then
 * any message is retried and so ends in the dead-letter queue, never silently dropped.
 */
export async function consumeDeliveries(batch: MessageBatch<unknown>, _env: Env): Promise<void> {
  for (const message of batch.messages) {
    console.warn(JSON.stringify({ level: "warn", queue: batch.queue, id: message.id, note: "no handler for this job yet" }));
    message.retry();
  }
}
