import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminApi, unique } from "./helpers/api";
import { env, logIn, openApp } from "./helpers/app";
import { launch } from "./helpers/chromium";
import { createUser, customerWrites, newCustomer } from "./helpers/customer";

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

type Notice = { title: string; body: string | undefined };

describe("desktop notifications", () => {
  it("notifies a user when someone else assigns a chat to them or to their group, and not for chats given to others", async () => {
    const admin = await adminApi(env());
    const group = await admin.post("/api/v1/groups/", { name: unique("Escalations ") });
    const agent = { username: unique("notified"), password: "" };
    agent.password = `${agent.username}-password-1`;
    const me = await createUser(env(), "user", agent.username, agent.password);
    await admin.patch(`/api/v1/users/${me.id}/`, { groups: [group.id] });
    const [first, second] = [newCustomer(), newCustomer()];
    await customerWrites(env(), first, "Notified Customer", { type: "text", text: { body: "Anyone there?" } });
    await customerWrites(env(), second, "Group Customer", { type: "text", text: { body: "Escalate please" } });

    // Headless Chromium shows no notifications: the page's Notification records what it was asked to show.
    const page = await openApp(browser, "/", undefined, async (context) => {
      await context.grantPermissions(["notifications"], { origin: env().base });
      await context.addInitScript(() => {
        const shown: { title: string; body: string | undefined }[] = [];
        (window as unknown as { shown: typeof shown }).shown = shown;
        class Recorder {
          static permission = "granted";
          static requestPermission = async () => "granted";
          onclick: (() => void) | null = null;
          constructor(title: string, options?: NotificationOptions) {
            shown.push({ title, body: options?.body });
          }
          close() {}
        }
        Object.defineProperty(window, "Notification", { value: Recorder, configurable: true });
      });
    });
    await logIn(page, agent);
    await page.getByRole("status").filter({ hasText: "Live" }).waitFor();
    const shown = () => page.evaluate(() => (window as unknown as { shown: Notice[] }).shown);

    await admin.patch(`/api/v1/chat_assignment/${first}/`, { assigned_to_user: me.id });
    // The body names the customer, by number when the event gives the user no name (a chat they could not read before).
    const who = (name: string, waId: string) => expect.stringMatching(new RegExp(`^(${name}|\\+${waId})$`));
    await expect.poll(shown).toEqual([{ title: "A chat was assigned to you", body: who("Notified Customer", first) }]);
    await admin.patch(`/api/v1/chat_assignment/${second}/`, { assigned_group: group.id });
    await expect.poll(shown).toEqual([
      { title: "A chat was assigned to you", body: who("Notified Customer", first) },
      { title: `A chat was assigned to ${group.name}`, body: who("Group Customer", second) },
    ]);

    // A chat given to someone else is not this user's news.
    const colleague = unique("colleague");
    const other = await createUser(env(), "user", colleague, `${colleague}-password-1`);
    const third = newCustomer();
    await customerWrites(env(), third, "Other Customer", { type: "text", text: { body: "Not yours" } });
    await admin.patch(`/api/v1/chat_assignment/${third}/`, { assigned_to_user: other.id });
    await admin.patch(`/api/v1/chat_assignment/${first}/`, { assigned_to_user: null });
    await admin.patch(`/api/v1/chat_assignment/${first}/`, { assigned_to_user: me.id });
    // The last change is news again; the one before it (to a colleague) was not.
    await expect.poll(async () => (await shown()).length).toBe(3);
    expect((await shown())[2]).toEqual({ title: "A chat was assigned to you", body: who("Notified Customer", first) });
    await page.context().close();
  });
});
