import type { AssignmentEventRecord } from "../db/queries/assignments";
import type { TaggingEventRecord, TaggingKind } from "../db/queries/tags";
import { type People, personWire } from "./messages";

/** Elements of the event histories (`GET /*_events/`), which webhook payloads carry too. */
export function taggingEventWire(kind: TaggingKind, r: TaggingEventRecord, people: People, baseUrl: string) {
  return {
    timestamp: r.timestamp,
    action: r.action,
    tag: { id: r.tag_id, name: r.tag_name, web_inbox_color: r.tag_color },
    [kind]: kind === "chat" ? r.wa_id : (r.wamid ?? ""),
    extra: r.extra === null ? null : (JSON.parse(r.extra) as Record<string, unknown>),
    done_by: personWire(people, r.done_by, baseUrl),
  };
}

export function assignmentEventWire(r: AssignmentEventRecord, people: People, baseUrl: string) {
  const user = (id: number | null) => personWire(people, id, baseUrl);
  return {
    timestamp: r.timestamp,
    wa_id: r.wa_id,
    assigned_to_user_set: user(r.user_set),
    assigned_to_user_was_cleared: r.user_cleared === 1,
    assigned_group_set: r.group_set === null ? null : (people.groupNames.get(r.group_set) ?? null),
    assigned_group_was_cleared: r.group_cleared === 1,
    done_by: user(r.done_by),
  };
}
