import type { Db } from "../db/client";
import type { ChatScope } from "../db/queries/chat-scope";
import { getMedia } from "../db/queries/media";
import { DomainError } from "../errors";
import type { Provider } from "../providers/provider";
import { mayReadMedia } from "./media-access";
import { mediaKey } from "./media-fetch";

/**
 * A media message may name a file uploaded to us (`POST /api/v1/media/`) by its id.
 * The provider only knows its own ids, so the file goes up to the provider first and
 * the message leaves with the provider's id; an id we don't hold is passed through
 * (it may already be the provider's own).
 */
export async function toProviderMedia(env: Env, db: Db, scope: ChatScope, provider: Provider, content: unknown): Promise<unknown> {
  if (!content || typeof content !== "object" || !("id" in content) || typeof content.id !== "string") return content;
  const inboxId = scope.inboxId;
  const row = await getMedia(db, inboxId, content.id);
  if (!row) return content;
  // Sending a file shares it: only someone who may read it may send it.
  if (!(await mayReadMedia(db, scope, row))) throw new DomainError("invalid", { detail: `Media ${content.id} is not available.` });
  if (row.state !== "stored") throw new DomainError("invalid", { detail: `Media ${content.id} is not available (${row.state}).` });
  const object = await env.MEDIA.get(mediaKey(inboxId, row.id));
  if (!object) throw new DomainError("invalid", { detail: `Media ${content.id} is not available.` });
  const uploaded = await provider.uploadMedia({
    bytes: await object.arrayBuffer(),
    mimeType: row.mimeType ?? "application/octet-stream",
    filename: row.filename ?? undefined,
  });
  return { ...content, id: uploaded.id };
}
