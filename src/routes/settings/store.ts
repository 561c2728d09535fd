import { z } from "zod";
import { ApiError, badRequest, upstreamFailed } from "../../errors";
import { type BusinessProfile, ProfileOperationError, type ProfilePhoto } from "../../providers/business-profile";
import { ProviderError } from "../../providers/upstream";

/** The profile of the request's inbox, whichever provider keeps it; errors are already our answers (502, 501, 400). */
export interface ProfileStore {
  profile(): Promise<BusinessProfile>;
  /** Applies the given fields and returns the whole profile afterwards. */
  updateProfile(changes: Partial<BusinessProfile>): Promise<BusinessProfile>;
  about(): Promise<string>;
  setAbout(text: string): Promise<void>;
  /** Null when there is none. */
  photo(): Promise<StoredPhoto | null>;
  setPhoto(photo: ProfilePhoto): Promise<void>;
  /** Throws a 404 when there is no photo to delete (where that is known). */
  deletePhoto(): Promise<void>;
}

export type StoredPhoto = { body: ReadableStream | ArrayBuffer; mimeType: string; size: number };

export const now = () => Math.floor(Date.now() / 1000);

/** Only the fields a PATCH named (zod leaves the others out, this also drops explicit undefineds). */
export const given = (changes: Partial<BusinessProfile>): Partial<BusinessProfile> =>
  Object.fromEntries(Object.entries(changes).filter(([, value]) => value !== undefined));

/**
 * Runs an upstream call and turns its failures into our answers: the upstream's refusal or
 * silence is a 502 carrying its message and body, what the provider cannot do a 501, what
 * the inbox's configuration lacks a 400.
 */
export async function relay<T>(action: "read" | "write", run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof ProfileOperationError) {
      throw error.reason === "misconfigured" ? badRequest(error.message) : new ApiError(501, { detail: error.message });
    }
    if (!(error instanceof ProviderError)) throw error;
    const what = action === "read" ? "could not be read" : "did not accept the change";
    throw upstreamFailed(`The WhatsApp provider ${what}: ${upstreamMessage(error)}`, error.body);
  }
}

const GraphError = z.object({ error: z.object({ message: z.string().min(1) }) });
const OnpremErrors = z.object({
  errors: z.array(z.object({ title: z.string().optional(), details: z.string().optional() })).min(1),
});

/** The upstream's own words: Graph's `error.message`, on-prem's `errors[].details`, or its text. */
function upstreamMessage(error: ProviderError): string {
  const graph = GraphError.safeParse(error.body);
  if (graph.success) return graph.data.error.message;
  const onprem = OnpremErrors.safeParse(error.body);
  if (onprem.success) return onprem.data.errors.map((e) => e.details ?? e.title ?? "error").join("; ");
  if (typeof error.body === "string" && error.body.trim()) return `HTTP ${error.status}: ${error.body.trim().slice(0, 500)}`;
  return `HTTP ${error.status}.`;
}
