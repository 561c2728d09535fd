import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminApi, unique } from "./helpers/api";
import { env, historyLine, logIn, openApp, thread } from "./helpers/app";
import { launch } from "./helpers/chromium";
import { createUser, customerWrites, newCustomer } from "./helpers/customer";

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

describe("tagging and assignment in a thread", () => {
  it("tags the chat and a message, assigns the chat to another user and to a group, and shows that history inline", async () => {
    const admin = await adminApi(env());
    const waId = newCustomer();
    await customerWrites(env(), waId, "History Customer", { type: "text", text: { body: "Please route me" } });
    const agent = unique("agent");
    await createUser(env(), "user", agent, `${agent}-password-1`);
    const group = await admin.post("/api/v1/groups/", { name: unique("Billing ") });
    const chatTag = await admin.post("/api/v1/tags/", { name: unique("vip"), web_inbox_color: "#aa0000" });
    const messageTag = await admin.post("/api/v1/tags/", { name: unique("refund") });

    const page = await openApp(browser, `/main/chat/${waId}`);
    await logIn(page);
    const bubble = thread(page).locator(".bubble", { hasText: "Please route me" });
    await bubble.waitFor();
    await page.getByText("Assignment and tags").click();
    const tools = page.locator(".chat-tools");

    await tools.getByLabel("User", { exact: true }).selectOption({ label: agent });
    await historyLine(page, `admin assigned the chat to ${agent}`).waitFor();
    await tools.getByLabel("Group", { exact: true }).selectOption({ label: group.name });
    await historyLine(page, `admin assigned the chat to the group ${group.name}`).waitFor();

    await tools.getByLabel("Tag this chat").selectOption({ label: chatTag.name });
    await tools.getByRole("button", { name: "Add tag" }).click();
    await historyLine(page, `admin tagged the chat with ${chatTag.name}`).waitFor();

    await bubble.getByText("Tag", { exact: true }).click();
    await bubble.getByLabel("Tag this message").selectOption({ label: messageTag.name });
    await bubble.getByRole("button", { name: "Add tag" }).click();
    await historyLine(page, `admin tagged a message with ${messageTag.name}`).waitFor();
    expect(await bubble.locator(".tag").textContent()).toContain(messageTag.name);

    // The summary under the header and the chat list say the same, and the history survives a reload (it is the API's).
    const summary = page.locator(".chat-summary");
    await expect.poll(() => summary.textContent()).toContain(`Assigned to ${agent}, ${group.name}`);
    expect(await summary.textContent()).toContain(chatTag.name);
    await page.reload();
    await bubble.waitFor();
    for (const line of [
      `admin assigned the chat to ${agent}`,
      `admin assigned the chat to the group ${group.name}`,
      `admin tagged the chat with ${chatTag.name}`,
      `admin tagged a message with ${messageTag.name}`,
    ])
      await expect.poll(() => historyLine(page, line).count()).toBe(1);

    // Untagging is history too; so is clearing the user.
    await page.getByText("Assignment and tags").click();
    await tools.getByRole("button", { name: `Remove tag ${chatTag.name}` }).click();
    await historyLine(page, `admin untagged the chat from ${chatTag.name}`).waitFor();
    expect(await tools.getByRole("alert").count()).toBe(0);
    await tools.getByLabel("User", { exact: true }).selectOption({ label: "Nobody" });
    await historyLine(page, "admin removed the chat's assigned user").waitFor();
    await page.context().close();
  });
});

const text = (body: string) => ({ type: "text", text: { body } });
const option = (page: Page, select: string, label: string) =>
  page.locator(`#${select} option`, { hasText: label }).evaluate((o) => (o as HTMLOptionElement).disabled);

describe("assignment rules for a user", () => {
  it("disables what the seed's rules forbid a user, says why next to each control, and explains a closed composer", async () => {
    const admin = await adminApi(env());
    const [mine, elsewhere] = [
      await admin.post("/api/v1/groups/", { name: unique("Night shift ") }),
      await admin.post("/api/v1/groups/", { name: unique("Day shift ") }),
    ];
    const agent = { username: unique("agent"), password: "" };
    agent.password = `${agent.username}-password-1`;
    const me = await createUser(env(), "user", agent.username, agent.password);
    await admin.patch(`/api/v1/users/${me.id}/`, { groups: [mine.id] });
    const colleague = unique("colleague");
    const other = await createUser(env(), "user", colleague, `${colleague}-password-1`);
    const waId = newCustomer();
    await customerWrites(env(), waId, "Rules Customer", text("Who takes this?"));
    await admin.patch(`/api/v1/chat_assignment/${waId}/`, { assigned_group: mine.id });

    const page = await openApp(browser, `/main/chat/${waId}`);
    await logIn(page, agent);
    await thread(page).getByText("Who takes this?").waitFor();
    const refused = page.locator("[data-write=refused]");
    await expect.poll(() => refused.textContent()).toBe("You can write only to chats assigned to you: assign it to yourself first.");
    expect(await page.getByRole("textbox", { name: "Message" }).count()).toBe(0);

    await page.getByText("Assignment and tags").click();
    const userSelect = page.getByLabel("User", { exact: true });
    const groupSelect = page.getByLabel("Group", { exact: true });
    // The group is theirs: they may clear it, not change it.
    expect(await groupSelect.isDisabled()).toBe(false);
    expect(await option(page, "assign-group", elsewhere.name)).toBe(true);
    expect(await option(page, "assign-group", "No group")).toBe(false);
    expect(await page.locator("#assign-group-why").textContent()).toBe("Only admins can change the group of a chat.");
    // Nobody is assigned: any user may be.
    expect(await page.locator("#assign-user-why").count()).toBe(0);

    await page.getByRole("button", { name: "Assign to me" }).click();
    await historyLine(page, `${agent.username} assigned the chat to ${agent.username}`).waitFor();
    await page.getByRole("textbox", { name: "Message" }).waitFor();
    expect(await option(page, "assign-user", colleague)).toBe(true);
    expect(await option(page, "assign-user", "Nobody")).toBe(false);
    expect(await page.locator("#assign-user-why").textContent()).toBe("Only admins can reassign a chat that is assigned to a user.");

    // An admin gives it to a colleague: live, the user control locks, "Assign to me" says why, the composer closes.
    await admin.patch(`/api/v1/chat_assignment/${waId}/`, { assigned_to_user: other.id });
    await expect.poll(() => userSelect.isDisabled(), { timeout: 10_000 }).toBe(true);
    expect(await page.locator("#assign-user-why").textContent()).toBe(
      "You can only remove a chat assignment that is yours. Only admins can reassign a chat that is assigned to a user.",
    );
    const toMe = page.getByRole("button", { name: "Assign to me" });
    expect(await toMe.isDisabled()).toBe(true);
    expect(await toMe.getAttribute("aria-describedby")).toBe("assign-user-why");
    await refused.waitFor();
    expect(await page.getByRole("alert").count()).toBe(0);
    // The history keeps the order of what happened, also within one second.
    await historyLine(page, `admin assigned the chat to ${colleague}`).waitFor();
    const lines = await thread(page).locator("li.history").allTextContents();
    const at = (text: string) => lines.findIndex((line) => line.startsWith(text));
    expect([
      at(`admin assigned the chat to the group ${mine.name}`),
      at(`${agent.username} assigned`),
      at(`admin assigned the chat to ${colleague}`),
    ]).toEqual([0, 1, 2]);
    await page.context().close();
  });

  it("shows the server's refusal next to the control when the rules changed meanwhile", async () => {
    const admin = await adminApi(env());
    const group = await admin.post("/api/v1/groups/", { name: unique("Weekend ") });
    const agent = { username: unique("reader"), password: "" };
    agent.password = `${agent.username}-password-1`;
    const me = await createUser(env(), "user", agent.username, agent.password);
    await admin.patch(`/api/v1/users/${me.id}/`, {
      groups: [group.id],
      permissions: { can_read_chats: "all", can_write_to_chats: "assigned", can_use_tags: true },
    });
    const waId = newCustomer();
    await customerWrites(env(), waId, "Refusal Customer", text("Anyone?"));

    const page = await openApp(browser, `/main/chat/${waId}`);
    await logIn(page, agent);
    await thread(page).getByText("Anyone?").waitFor();
    await page.getByText("Assignment and tags").click();
    expect(await option(page, "assign-group", group.name)).toBe(false);
    // Taken out of the group after the page loaded: the page still offers it, the server refuses.
    await admin.patch(`/api/v1/users/${me.id}/`, { groups: [] });
    await page.getByLabel("Group", { exact: true }).selectOption({ label: group.name });
    const refusal = page.locator(".picker", { has: page.locator("#assign-group") }).getByRole("alert");
    await expect.poll(() => refusal.textContent()).toBe("You can only assign or clear a group you belong to.");
    expect(await page.getByLabel("Group", { exact: true }).inputValue()).toBe("");
    await page.context().close();
  });
});
