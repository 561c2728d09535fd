/**
 * The inbox object's write path to D1: one `batch()` (one transaction) per group
 * commit. Raw prepared statements, not drizzle: this is the hottest code in the
 * product and the statements need SQLite features (changes(), json_set, upserts
 * with conditions) that are clearer written out.
 */

export type MessageRow = {
  wamid: string;
  waId: string;
  fromUs: boolean;
  timestamp: number;
  seq: number;
  type: string;
  payload: string;
  senderUserId: number | null;
  contextWamid: string | null;
  /** The media id in the payload, if any (who may read a file follows its chat). */
  mediaId: string | null;
  /** Already-tokenized FTS text (services/search.ts). */
  searchText: string;
  /** The contact object WhatsApp sent with the message, when any. */
  contact: Record<string, unknown> | null;
  profileName: string | null;
};

/** `raw`: the status object as WhatsApp sent it (for webhook receivers); null in statuses held before it was kept. */
export type StatusRow = { wamid: string; status: string; value: unknown; raw: unknown };

/** Statements per message row in `writeStatements`; the first answers the row's wamid when the row is new (`newRows`). */
const STATEMENTS_PER_ROW = 3;

export function writeStatements(d1: D1Database, inboxId: string, rows: MessageRow[], statuses: StatusRow[]): D1PreparedStatement[] {
  const out: D1PreparedStatement[] = [];
  for (const m of rows) {
    out.push(
      d1
        .prepare(
          `INSERT INTO messages (inbox_id, wamid, wa_id, from_us, timestamp, seq, type, payload, statuses, sender_user_id, context_wamid, media_id)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, '{}', ?, ?, ?) ON CONFLICT (inbox_id, wamid) DO NOTHING RETURNING wamid`,
        )
        .bind(inboxId, m.wamid, m.waId, m.fromUs ? 1 : 0, m.timestamp, m.seq, m.type, m.payload, m.senderUserId, m.contextWamid, m.mediaId),
      // Only when the insert above added a row (changes() = 1): a redelivery adds nothing.
      d1.prepare("INSERT INTO messages_fts (rowid, body) SELECT last_insert_rowid(), ? WHERE changes() = 1").bind(m.searchText),
      d1
        .prepare(
          // changes() is still the FTS insert's: 1 when the message is new, 0 for a redelivery.
          `INSERT INTO chats (inbox_id, wa_id, contact, profile_name, last_message_id, last_message_timestamp, last_message_seq, last_customer_message_timestamp, message_count)
           SELECT ?1, ?2, ?3, ?4, id, timestamp, seq, CASE WHEN from_us THEN NULL ELSE timestamp END, changes() FROM messages WHERE inbox_id = ?1 AND wamid = ?5
           ON CONFLICT (inbox_id, wa_id) DO UPDATE SET
             message_count = chats.message_count + excluded.message_count,
             contact = CASE WHEN ?6 THEN excluded.contact ELSE chats.contact END,
             profile_name = coalesce(excluded.profile_name, chats.profile_name),
             last_message_id = CASE WHEN chats.last_message_seq IS NULL OR excluded.last_message_timestamp > chats.last_message_timestamp
               OR (excluded.last_message_timestamp = chats.last_message_timestamp AND excluded.last_message_seq > chats.last_message_seq)
               THEN excluded.last_message_id ELSE chats.last_message_id END,
             last_message_seq = CASE WHEN chats.last_message_seq IS NULL OR excluded.last_message_timestamp > chats.last_message_timestamp
               OR (excluded.last_message_timestamp = chats.last_message_timestamp AND excluded.last_message_seq > chats.last_message_seq)
               THEN excluded.last_message_seq ELSE chats.last_message_seq END,
             last_message_timestamp = max(coalesce(chats.last_message_timestamp, 0), excluded.last_message_timestamp),
             last_customer_message_timestamp = max(coalesce(chats.last_customer_message_timestamp, 0), coalesce(excluded.last_customer_message_timestamp, 0)),
             -- A new customer message reopens a resolved chat (a redelivery, excluded.message_count = 0, does not).
             resolved = CASE WHEN excluded.last_customer_message_timestamp IS NOT NULL AND excluded.message_count > 0 THEN 0 ELSE chats.resolved END`,
        )
        .bind(inboxId, m.waId, JSON.stringify(m.contact ?? { wa_id: m.waId }), m.profileName, m.wamid, m.contact ? 1 : 0),
    );
  }
  for (const s of statuses) {
    out.push(statusStatement(d1, inboxId, s));
    if (s.raw != null) {
      out.push(
        d1
          .prepare("INSERT INTO status_payloads (inbox_id, wamid, status, payload) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING")
          .bind(inboxId, s.wamid, s.status, JSON.stringify(s.raw)),
      );
    }
  }
  return out;
}

/** The rows of a `writeStatements` batch that D1 did not have before (the rest were redeliveries). */
export function newRows(results: D1Result[], rows: MessageRow[]): Set<string> {
  return new Set(rows.filter((_, i) => (results[i * STATEMENTS_PER_ROW]?.results.length ?? 0) > 0).map((r) => r.wamid));
}

/** The statuses of a statuses-only `writeStatements` batch whose message D1 has (the update found its row). */
export function appliedStatuses(results: D1Result[], statuses: StatusRow[]): StatusRow[] {
  let at = 0;
  return statuses.filter((s) => {
    const found = (results[at]?.meta.changes ?? 0) > 0;
    at += s.raw != null ? 2 : 1;
    return found;
  });
}

/**
 * Links customers to the workspace's contacts, once per customer of the batch: a number
 * no contact holds (`whatsapp:<wa_id>`, else `tel:+<wa_id>`) creates one with the
 * WhatsApp profile name, and the linked contact's `last_seen_on` moves to the newest
 * customer message (a redelivery moves nothing). A profile name never renames a contact.
 */
export function contactStatements(d1: D1Database, inboxId: string, rows: MessageRow[]): D1PreparedStatement[] {
  const customers = new Map<string, MessageRow>();
  for (const m of rows) {
    if (m.fromUs) continue;
    const seen = customers.get(m.waId);
    if (!seen || m.timestamp > seen.timestamp) customers.set(m.waId, { ...m, profileName: m.profileName ?? seen?.profileName ?? null });
  }
  const out: D1PreparedStatement[] = [];
  const micros = Date.now() * 1000;
  for (const m of customers.values()) {
    const uuid = crypto.randomUUID();
    const whatsapp = `whatsapp:${m.waId}`;
    const tel = `tel:+${m.waId}`;
    const seenOn = m.timestamp * 1_000_000;
    out.push(
      d1
        .prepare(
          `INSERT INTO contacts (uuid, workspace_id, name, created_on, modified_on, last_seen_on)
           SELECT ?1, i.workspace_id, substr(?2, 1, 64), ?3, ?3, ?4 FROM inboxes i WHERE i.id = ?5
             AND NOT EXISTS (SELECT 1 FROM contact_urns u WHERE u.workspace_id = i.workspace_id AND u.identity IN (?6, ?7))`,
        )
        .bind(uuid, m.profileName, micros, seenOn, inboxId, whatsapp, tel),
      // Finds the contact only if the statement above created it (its uuid is new).
      d1
        .prepare(
          `INSERT INTO contact_urns (workspace_id, contact_id, scheme, path, identity, position)
           SELECT workspace_id, id, 'whatsapp', ?1, ?2, 0 FROM contacts WHERE uuid = ?3`,
        )
        .bind(m.waId, whatsapp, uuid),
      d1
        .prepare(
          `UPDATE contacts SET last_seen_on = ?1, modified_on = max(?2, modified_on + 1)
           WHERE id = (SELECT u.contact_id FROM contact_urns u
                       WHERE u.workspace_id = (SELECT workspace_id FROM inboxes WHERE id = ?3) AND u.identity IN (?4, ?5)
                       ORDER BY u.identity = ?4 DESC LIMIT 1)
             AND (last_seen_on IS NULL OR last_seen_on < ?1)`,
        )
        .bind(seenOn, micros, inboxId, whatsapp, tel),
    );
  }
  return out;
}

/** First value per status key wins: a late `delivered` never touches `read`, a redelivery changes nothing. */
function statusStatement(d1: D1Database, inboxId: string, s: StatusRow): D1PreparedStatement {
  return d1
    .prepare(
      `UPDATE messages SET statuses = json_set(statuses, '$.' || ?1, json(coalesce(json_extract(statuses, '$.' || ?1), ?2)))
       WHERE inbox_id = ?3 AND wamid = ?4`,
    )
    .bind(s.status, JSON.stringify(s.value), inboxId, s.wamid);
}
