/**
 * WhatsApp's customer-service window: free-form messages go out only within 24 hours of
 * the customer's last message (the contact's `last_message_timestamp`); outside it only
 * templates do. The server decides (and says so when refusing); this shows it ahead.
 */
export const WINDOW_SECONDS = 24 * 3600;

export type CustomerWindow = { open: boolean; lastAt: Date | null; closesAt: Date | null };

export function customerWindow(lastCustomerMessage: number | null | undefined, nowMs = Date.now()): CustomerWindow {
  if (!lastCustomerMessage) return { open: false, lastAt: null, closesAt: null };
  const closesMs = (lastCustomerMessage + WINDOW_SECONDS) * 1000;
  return { open: nowMs < closesMs, lastAt: new Date(lastCustomerMessage * 1000), closesAt: new Date(closesMs) };
}
