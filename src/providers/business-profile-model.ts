/**
 * The business profile as our API speaks it, shared by the providers' adapters. Our wire
 * speaks the seed's (and on-prem's) vertical names; Cloud-style upstreams speak codes,
 * mapped here in both directions.
 */

export const VERTICALS = {
  Automotive: "AUTO",
  "Beauty, Spa and Salon": "BEAUTY",
  "Clothing and Apparel": "APPAREL",
  Education: "EDU",
  Entertainment: "ENTERTAIN",
  "Event Planning and Service": "EVENT_PLAN",
  "Finance and Banking": "FINANCE",
  "Food and Grocery": "GROCERY",
  "Public Service": "GOVT",
  "Hotel and Lodging": "HOTEL",
  "Medical and Health": "HEALTH",
  "Non-profit": "NONPROFIT",
  "Professional Services": "PROF_SERVICES",
  "Shopping and Retail": "RETAIL",
  "Travel and Transportation": "TRAVEL",
  Restaurant: "RESTAURANT",
  Other: "OTHER",
} as const;
export type Vertical = keyof typeof VERTICALS;
export const VERTICAL_NAMES = Object.keys(VERTICALS) as [Vertical, ...Vertical[]];

const byCode = new Map<string, Vertical>(VERTICAL_NAMES.map((name) => [VERTICALS[name], name]));
const isVertical = (value: string): value is Vertical => (VERTICAL_NAMES as readonly string[]).includes(value);

/**
 * An upstream's vertical (a name from on-prem, a code from Cloud) as our name. Unset
 * (missing, "", Cloud's `UNDEFINED`) is ""; a value the seed has no name for (Cloud's
 * `NOT_A_BIZ`, codes added later) shows as "Other", which a client can send back.
 */
export function verticalName(value: unknown): Vertical | "" {
  if (typeof value !== "string" || value === "" || value === "UNDEFINED") return "";
  if (isVertical(value)) return value;
  return byCode.get(value) ?? "Other";
}

/** Our wire names; `vertical` is "" until one is set. */
export type BusinessProfile = { address: string; description: string; email: string; vertical: Vertical | ""; websites: string[] };
export const EMPTY_PROFILE: BusinessProfile = { address: "", description: "", email: "", vertical: "", websites: [] };

/** An upstream's profile (fields it left out are empty) in our shape. */
export const toBusinessProfile = (p: {
  address?: string | null;
  description?: string | null;
  email?: string | null;
  vertical?: unknown;
  websites?: string[] | null;
}): BusinessProfile => ({
  address: p.address ?? "",
  description: p.description ?? "",
  email: p.email ?? "",
  vertical: verticalName(p.vertical),
  websites: p.websites ?? [],
});

export type ProfilePhoto = { bytes: ArrayBuffer; mimeType: string };

/**
 * What the provider cannot do at all (`unsupported`, 501) or not as this inbox is
 * configured (`misconfigured`, 400); thrown before any upstream call.
 */
export class ProfileOperationError extends Error {
  constructor(
    readonly reason: "unsupported" | "misconfigured",
    message: string,
  ) {
    super(message);
    this.name = "ProfileOperationError";
  }
}
