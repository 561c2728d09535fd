/**
 * The hard delete of one chat (the contact webhook's `delete_contact`): the messages it had
 * when the purge began, with their search rows, status payloads and taggings, in rounds of
 * PURGE_ROUND messages, then the chat row with its received marks, taggings and histories;
 * or, when messages arrived meanwhile, the chat kept whole around those. Run by the inbox
 * object, the inbox's one writer of changes. Raw statements: the FTS table is keyed by rowid.
 */
const PURGE_ROUND = 500;

export type PurgeRound = { messages: number; mediaIds: string[] };

/** The chat's newest message id now: the purge deletes up to it, so messages arriving meanwhile cannot keep it going. */
export async function lastMessageId(d1: D1Database, inboxId: string, waId: string): Promise<number> {
  const row = await d1
    .prepare("SELECT max(id) AS id FROM messages WHERE inbox_id = ? AND wa_id = ?")
    .bind(inboxId, waId)
    .first<{ id: number | null }>();
  return row?.id ?? 0;
}

/**
 * Deletes up to PURGE_ROUND of the chat's messages with ids up to `upTo`; `messages: 0` when
 * none are left. `before` gets their wamids first (the inbox object remembers them).
 */
export async function purgeMessages(
  d1: D1Database,
  inboxId: string,
  waId: string,
  upTo: number,
  before: (wamids: string[]) => void,
): Promise<PurgeRound> {
  const { results } = await d1
    .prepare("SELECT id, wamid, media_id AS mediaId FROM messages WHERE inbox_id = ? AND wa_id = ? AND id <= ? LIMIT ?")
    .bind(inboxId, waId, upTo, PURGE_ROUND)
    .all<{ id: number; wamid: string; mediaId: string | null }>();
  if (!results.length) return { messages: 0, mediaIds: [] };
  const ids = JSON.stringify(results.map((r) => r.id));
  const wamids = JSON.stringify(results.map((r) => r.wamid));
  before(results.map((r) => r.wamid));
  await d1.batch([
    d1.prepare("DELETE FROM messages_fts WHERE rowid IN (SELECT value FROM json_each(?))").bind(ids),
    d1.prepare("DELETE FROM status_payloads WHERE inbox_id = ? AND wamid IN (SELECT value FROM json_each(?))").bind(inboxId, wamids),
    d1.prepare("DELETE FROM message_taggings WHERE inbox_id = ? AND wamid IN (SELECT value FROM json_each(?))").bind(inboxId, wamids),
    d1.prepare("DELETE FROM messages WHERE id IN (SELECT value FROM json_each(?))").bind(ids),
  ]);
  const mediaIds = [...new Set(results.flatMap((r) => (r.mediaId ? [r.mediaId] : [])))];
  return { messages: results.length, mediaIds };
}

/**
 * Deletes the chat row and what hangs on it when no message is left; when messages arrived
 * during the purge, keeps the chat whole around them instead (its count and last message
 * recomputed). True if the chat is gone.
 */
export async function settleChat(d1: D1Database, inboxId: string, waId: string): Promise<boolean> {
  const empty = "NOT EXISTS (SELECT 1 FROM messages WHERE inbox_id = ?1 AND wa_id = ?2)";
  const [, , , , , , kept] = await d1.batch([
    d1.prepare(`DELETE FROM received_marks WHERE inbox_id = ?1 AND wa_id = ?2 AND ${empty}`).bind(inboxId, waId),
    d1.prepare(`DELETE FROM chat_taggings WHERE inbox_id = ?1 AND wa_id = ?2 AND ${empty}`).bind(inboxId, waId),
    d1.prepare(`DELETE FROM tagging_events WHERE inbox_id = ?1 AND wa_id = ?2 AND ${empty}`).bind(inboxId, waId),
    d1.prepare(`DELETE FROM assignment_events WHERE inbox_id = ?1 AND wa_id = ?2 AND ${empty}`).bind(inboxId, waId),
    d1.prepare(`DELETE FROM chats WHERE inbox_id = ?1 AND wa_id = ?2 AND ${empty}`).bind(inboxId, waId),
    d1
      .prepare(
        `UPDATE chats SET
           message_count = (SELECT count(*) FROM messages WHERE inbox_id = ?1 AND wa_id = ?2),
           last_message_id = (SELECT id FROM messages WHERE inbox_id = ?1 AND wa_id = ?2 ORDER BY timestamp DESC, seq DESC LIMIT 1),
           last_message_timestamp = (SELECT max(timestamp) FROM messages WHERE inbox_id = ?1 AND wa_id = ?2),
           last_message_seq = (SELECT seq FROM messages WHERE inbox_id = ?1 AND wa_id = ?2 ORDER BY timestamp DESC, seq DESC LIMIT 1),
           last_customer_message_timestamp = (SELECT max(timestamp) FROM messages WHERE inbox_id = ?1 AND wa_id = ?2 AND from_us = 0)
         WHERE inbox_id = ?1 AND wa_id = ?2`,
      )
      .bind(inboxId, waId),
    d1.prepare("SELECT 1 AS kept FROM chats WHERE inbox_id = ?1 AND wa_id = ?2").bind(inboxId, waId),
  ]);
  return !(kept?.results.length ?? 0);
}

/** Media rows no remaining message of the inbox refers to; their R2 objects are the caller's to delete. */
export async function orphanedMedia(d1: D1Database, inboxId: string, mediaIds: string[]): Promise<string[]> {
  if (!mediaIds.length) return [];
  const { results } = await d1
    .prepare(
      `DELETE FROM media WHERE inbox_id = ?1 AND id IN (SELECT value FROM json_each(?2))
         AND NOT EXISTS (SELECT 1 FROM messages m WHERE m.inbox_id = ?1 AND m.media_id = media.id) RETURNING id`,
    )
    .bind(inboxId, JSON.stringify(mediaIds))
    .all<{ id: string }>();
  return results.map((r) => r.id);
}
