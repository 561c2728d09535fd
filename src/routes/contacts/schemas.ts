import { z } from "@hono/zod-openapi";
import { CONTACT_PROVIDER_TYPES } from "../../contacts/config";
import { CHECK_STATUSES } from "../../providers/contact-check";
import type { FoundContact } from "../../services/contacts";
import { ContactSchema, initials } from "../../services/messages";

/** Per provider; the seed sets no bound, this one keeps a page of several directories small. */
export const MAX_CONTACTS_LIMIT = 100;

export const ContactsQuery = z.object({
  search: z
    .string()
    .trim()
    .max(200, "Ensure this field has no more than 200 characters.")
    .optional()
    .openapi({ description: "Each provider searches its own way; the own book matches names and number fragments." }),
  limit: z.coerce
    .number()
    .int("A valid integer is required.")
    .min(1, "Ensure this value is greater than or equal to 1.")
    .optional()
    .openapi({ description: `Results per provider (default 20, at most ${MAX_CONTACTS_LIMIT}).` }),
  pages: z.string().max(8000).optional().openapi({ description: "The cursor from `next`: every provider's next page. Start without it." }),
});

const ProviderRefSchema = z
  .object({
    type: z.enum(CONTACT_PROVIDER_TYPES),
    name: z.string(),
    id: z.number().int().nullable().openapi({ description: "Null for the own book an inbox without providers has by default." }),
  })
  .openapi("ContactProviderRef");

export const ContactResultSchema = z
  .object({
    name: z.string(),
    initials: z.string(),
    phone_numbers: z.array(z.object({ phone_number: z.string(), description: z.string() })),
    email_addresses: z.array(z.object({ email_address: z.string(), description: z.string() })),
    contact_provider: ProviderRefSchema,
  })
  .openapi("ContactProviderResult");

const FailureSchema = z
  .object({ contact_provider: ProviderRefSchema, detail: z.string() })
  .openapi("ContactProviderFailure", { description: "A provider that did not answer: its results are missing from this answer." });

export const ContactListSchema = z
  .object({
    count: z.number().int().nullable().openapi({ description: "The sum of every provider's count; null when one cannot count." }),
    next: z.string().url().nullable().openapi({ description: "The same search's next page (`?pages=...`), or null after the last." }),
    results: z.array(ContactResultSchema),
    errors: z.array(FailureSchema),
  })
  .openapi("ContactList");

export const ContactLookupSchema = z
  .object({
    person: ContactSchema.nullable().openapi({ description: "This inbox's chat contact, if you may read that chat." }),
    contact_provider_results: z.array(ContactResultSchema),
    errors: z.array(FailureSchema),
  })
  .openapi("ContactLookup");

export function toContactResultWire(found: FoundContact): z.infer<typeof ContactResultSchema> {
  const digits = found.phone_numbers[0]?.phone_number.replace(/\D/g, "") ?? "";
  return {
    name: found.name,
    initials: initials(found.name || null, digits),
    phone_numbers: found.phone_numbers,
    email_addresses: found.email_addresses,
    contact_provider: found.contact_provider,
  };
}

export const MAX_CHECKS = 100;

export const VerifyBody = z.object({
  blocking: z
    .enum(["no_wait", "wait"], { error: (issue) => `"${String(issue.input)}" is not a valid choice.` })
    .default("no_wait")
    .openapi({ description: "On-premises inboxes: whether WhatsApp answers before returning (`wait`)." }),
  contacts: z
    .array(z.string().trim().min(1, "This field may not be blank.").max(100, "Ensure this field has no more than 100 characters."))
    .min(1, "This list may not be empty.")
    .max(MAX_CHECKS, `Ensure this field has no more than ${MAX_CHECKS} elements.`)
    .openapi({ description: `Phone numbers in any format, best \`+\` and the country code; at most ${MAX_CHECKS}.` }),
  force_check: z.boolean().default(false).openapi({ description: "Ask again instead of answering from the 7-day cache." }),
});

export const VerifyAnswerSchema = z
  .object({
    contacts: z.array(
      z.object({
        input: z.string(),
        status: z.enum(CHECK_STATUSES),
        wa_id: z.string().optional().openapi({ description: "For valid (and processing) numbers." }),
      }),
    ),
  })
  .openapi("ContactsVerification");
