import type { Db } from "../db/client";
import type { ChatScope } from "../db/queries/chat-scope";
import type { Media } from "../db/queries/media";
import { mediaInReadableChat } from "../db/queries/messages";

/** The one media permission: who may read a chat the file was sent in, and its uploader. */
export async function mayReadMedia(db: Db, scope: ChatScope, row: Media): Promise<boolean> {
  return scope.access.kind === "all" || row.uploadedBy === scope.userId || mediaInReadableChat(db, scope, row.id);
}
