import { sql } from "drizzle-orm";
import type { Db } from "../client";
import type { ChatScope } from "./chat-scope";
import { type HistoryFilter, historyRow, listHistory } from "./history";

export type AssignmentEventRecord = {
  timestamp: number;
  wa_id: string;
  user_set: number | null;
  user_cleared: number;
  group_set: number | null;
  group_cleared: number;
  done_by: number | null;
};

const COLUMNS = sql`e.timestamp, e.wa_id, e.user_set, e.user_cleared, e.group_set, e.group_cleared, e.done_by`;

export const assignmentEvent = (db: Db, inboxId: string, eventId: string) =>
  historyRow<AssignmentEventRecord>(db, "assignment_events", COLUMNS, inboxId, eventId);

/** A page of chat assignment history. */
export function listAssignmentEvents(db: Db, scope: ChatScope, f: HistoryFilter, limit: number, offset: number) {
  return listHistory<AssignmentEventRecord>(db, "assignment_events", COLUMNS, scope, f, limit, offset);
}
