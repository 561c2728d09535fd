import { z } from "@hono/zod-openapi";
import { VERTICAL_NAMES } from "../../providers/business-profile";
import { FileEncoded } from "../media/encoded";

/** WhatsApp's limits (the same on on-prem and Cloud), with DRF's wording. */
const chars = (max: number) =>
  z
    .string()
    .trim()
    .max(max, { message: `Ensure this field has no more than ${max} characters.`, abort: true });

const isHttpUrl = (value: string) => {
  try {
    const url = new URL(value);
    return (url.protocol === "http:" || url.protocol === "https:") && url.hostname !== "" && !/\s/.test(value);
  } catch {
    return false;
  }
};

const Vertical = z.enum(VERTICAL_NAMES, {
  error: (issue) =>
    issue.input === undefined
      ? "This field is required."
      : issue.input === null
        ? "This field may not be null."
        : `"${String(issue.input)}" is not a valid choice.`,
});

/** PUT: the seed's required fields; `websites` may be left out (then kept). PATCH: `.partial()`. */
export const BusinessProfileBody = z.object({
  address: chars(256),
  description: chars(512),
  email: chars(128).refine((v) => v === "" || z.regexes.email.test(v), "Enter a valid email address."),
  vertical: Vertical,
  websites: z
    .array(chars(256).refine(isHttpUrl, "Enter a valid URL."))
    .max(2, "Ensure this field has no more than 2 elements.")
    .optional()
    .openapi({ description: "Up to 2 http(s) URLs of up to 256 characters." }),
});
export const PatchBusinessProfileBody = BusinessProfileBody.partial();

export const BusinessProfileSchema = z
  .object({
    address: z.string(),
    description: z.string(),
    email: z.string(),
    vertical: z.union([z.enum(VERTICAL_NAMES), z.literal("")]).openapi({ description: 'The industry; "" until one is set.' }),
    websites: z.array(z.string()),
  })
  .openapi("BusinessProfile", {
    example: {
      address: "Hauptstraße 1, 10115 Berlin",
      description: "Fresh flowers, delivered.",
      email: "hello@example.com",
      vertical: "Shopping and Retail",
      websites: ["https://example.com"],
    },
  });

export const AboutBody = z.object({
  text: z.string().trim().min(1, "This field may not be blank.").max(139, "Ensure this field has no more than 139 characters."),
});
export const AboutSchema = z.object({ text: z.string() }).openapi("ProfileAbout");

export const PhotoBody = z.object({ file_encoded: FileEncoded });
/** The documented shape (a File instance has no JSON Schema; it is `format: binary` in multipart). */
export const PhotoBodyDoc = z.object({
  file_encoded: z.string().describe("The image: base64 text or a data URL (JSON or form), or a multipart file part."),
});

export const RefreshStatusSchema = z
  .object({
    currently_refreshing: z.boolean().openapi({ description: "True while the business profile is being read from the WhatsApp provider." }),
  })
  .openapi("RefreshStatus");

export const SETTINGS_TAG = "Settings";
