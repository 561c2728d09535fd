import { useState } from "preact/hooks";
import type { User } from "../api/types";
import type { LiveEvent } from "./events";

/**
 * Desktop notifications (the Notification API) when a chat is assigned to me or to one
 * of my groups by someone else. Browsers grant the permission only from a user gesture,
 * so the header offers a button that asks; nothing is asked on load.
 */
export type NotificationState = "unsupported" | NotificationPermission;

const supported = () => typeof Notification !== "undefined";

export function useNotificationPermission(): [NotificationState, () => Promise<void>] {
  const [state, setState] = useState<NotificationState>(supported() ? Notification.permission : "unsupported");
  const ask = async () => {
    if (!supported()) return;
    setState(await Notification.requestPermission());
  };
  return [state, ask];
}

/** The notification for an event, if it is an assignment to this user or their group by someone else. */
export function assignmentNotice(event: LiveEvent, user: User): { title: string; body: string; waId: string } | null {
  if (event.kind !== "assigned" || event.doneBy === user.id) return null;
  const who = event.name ?? `+${event.waId}`;
  if (event.userId === user.id) return { title: "A chat was assigned to you", body: who, waId: event.waId };
  const group = user.groups.find((g) => g.id === event.groupId);
  if (group) return { title: `A chat was assigned to ${group.name}`, body: who, waId: event.waId };
  return null;
}

export function notify(notice: { title: string; body: string; waId: string }, open: (waId: string) => void) {
  if (!supported() || Notification.permission !== "granted") return;
  const notification = new Notification(notice.title, { body: notice.body, tag: `assigned-${notice.waId}` });
  notification.onclick = () => {
    window.focus();
    open(notice.waId);
    notification.close();
  };
}
