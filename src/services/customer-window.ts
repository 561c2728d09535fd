import { DomainError } from "../errors";

/** WhatsApp's customer-service window: free-form messages only within 24 h of the customer's last message. */
export const WINDOW_SECONDS = 24 * 3600;

export function assertWindowOpen(lastCustomerMessage: number | null | undefined, now: number): void {
  if (lastCustomerMessage && now - lastCustomerMessage < WINDOW_SECONDS) return;
  const detail = lastCustomerMessage
    ? `The 24-hour customer service window is closed (the customer last wrote at ${new Date(lastCustomerMessage * 1000).toISOString()}): only template messages can be sent.`
    : "The customer has not written to this number yet, so the 24-hour customer service window is closed: only template messages can be sent.";
  throw new DomainError("invalid", { detail });
}
