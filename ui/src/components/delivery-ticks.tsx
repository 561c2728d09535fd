import type { Message } from "../api/types";

/**
 * WhatsApp's ticks for a message we sent, from its `waba_statuses` (first value of each
 * status wins on the server, so a late `delivered` never hides `read`).
 */
const ORDER = ["failed", "read", "delivered", "sent"] as const;
const LABELS = { failed: "Failed", read: "Read", delivered: "Delivered", sent: "Sent", pending: "Sending" } as const;
const MARKS = { failed: "!", read: "✓✓", delivered: "✓✓", sent: "✓", pending: "…" } as const;

export type DeliveryStatus = keyof typeof LABELS;

export const deliveryStatus = (statuses: Message["waba_statuses"]): DeliveryStatus =>
  ORDER.find((status) => status in statuses) ?? "pending";

/** The errors of a failed send, in WhatsApp's words (`title`, `message`, `error_data.details`). */
export function failureText(statuses: Message["waba_statuses"]): string | null {
  const failed = statuses.failed;
  if (!failed || typeof failed !== "object") return null;
  const errors = (failed as { errors?: unknown }).errors;
  const texts = (Array.isArray(errors) ? errors : []).map((e) => {
    const error = (e ?? {}) as { title?: unknown; message?: unknown; code?: unknown };
    return [error.code, error.title ?? error.message].filter((part) => part !== undefined).join(" ");
  });
  return texts.filter(Boolean).join("; ") || "WhatsApp could not deliver this message.";
}

export function DeliveryTicks({ statuses }: { statuses: Message["waba_statuses"] }) {
  const status = deliveryStatus(statuses);
  return (
    <span class={`ticks ticks-${status}`} data-status={status} title={LABELS[status]}>
      <span aria-hidden="true">{MARKS[status]}</span>
      <span class="sr-only">{LABELS[status]}</span>
    </span>
  );
}
