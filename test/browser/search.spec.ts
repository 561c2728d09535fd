import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminApi, unique } from "./helpers/api";
import { chatLink, chatList as chats, env, logIn, openApp, thread } from "./helpers/app";
import { launch } from "./helpers/chromium";
import { customerWrites, customerWritesMany, newCustomer } from "./helpers/customer";

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

describe("search and filters", () => {
  it("finds an old message among a thousand, marks the hit, and opens the thread at it", async () => {
    const word = unique("zebrafish");
    const waId = newCustomer();
    // The hit is the oldest of 1,001 messages: far beyond the thread's first page.
    await customerWritesMany(env(), waId, "Search Customer", [`My parcel ${word} is late`], 7200);
    for (let batch = 0; batch < 10; batch++) {
      const bodies = Array.from({ length: 100 }, (_, i) => `Filler message ${batch * 100 + i}`);
      await customerWritesMany(env(), waId, "Search Customer", bodies, 7000 - batch * 100);
    }
    const page = await openApp(browser);
    await logIn(page);
    await page.getByRole("searchbox", { name: "Search chats and messages" }).fill(word.toUpperCase());

    const hits = page.getByRole("region", { name: /^Messages/ });
    await hits.getByRole("link").first().waitFor();
    expect(await hits.getByRole("link").count()).toBe(1);
    expect(await hits.locator("mark").textContent()).toBe(word);
    expect(await hits.getByRole("heading").textContent()).toBe("Messages (1)");
    // The chat list is narrowed to the chat holding the hit.
    await expect.poll(() => chats(page).getByRole("link").count()).toBe(1);
    expect(await chats(page).textContent()).toContain("Search Customer");

    await hits.getByRole("link").click();
    expect(new URL(page.url()).searchParams.get("at")).toMatch(/^\d+$/);
    const hit = thread(page).locator(".bubble.focused");
    await hit.waitFor();
    expect(await hit.textContent()).toContain(word);
    expect(await hit.isVisible()).toBe(true);
    // Opened at the hit, the thread also has the newer messages just after it, and says more follow.
    await thread(page).getByText("Filler message 50", { exact: true }).waitFor();
    expect(await thread(page).getByText("Filler message 999", { exact: true }).count()).toBe(0);
    await page.getByRole("link", { name: "Newer messages follow: show the latest" }).click();
    await thread(page).getByText("Filler message 999", { exact: true }).waitFor();

    // Clearing the search brings back every chat and no message hits.
    await page.getByRole("searchbox", { name: "Search chats and messages" }).fill("");
    await expect.poll(() => hits.count()).toBe(0);
    await page.context().close();
  });

  it("filters by tag, by 'assigned to me' and by one of my groups", async () => {
    const admin = await adminApi(env());
    const [tagged, mine, grouped] = [newCustomer(), newCustomer(), newCustomer()];
    const names = { tagged: unique("Tagged "), mine: unique("Mine "), grouped: unique("Grouped ") };
    await customerWrites(env(), tagged, names.tagged);
    await customerWrites(env(), mine, names.mine);
    await customerWrites(env(), grouped, names.grouped);

    const tag = await admin.post("/api/v1/tags/", { name: unique("vip"), web_inbox_color: "#aa0000" });
    await admin.post("/api/v1/chat_tagging/", { tag: tag.id, chat: tagged });
    const me = await admin.get("/api/v1/users/current/");
    await admin.patch(`/api/v1/chat_assignment/${mine}/`, { assigned_to_user: me.id });
    const group = await admin.post("/api/v1/groups/", { name: unique("Night shift ") });
    const custom = me.groups.filter((g: { name: string }) => !["Admin", "Regular user", "App integration"].includes(g.name));
    await admin.patch(`/api/v1/users/${me.id}/`, { groups: [...custom.map((g: { id: number }) => g.id), group.id] });
    await admin.patch(`/api/v1/chat_assignment/${grouped}/`, { assigned_group: group.id });

    const page = await openApp(browser);
    await logIn(page);
    await chatLink(page, names.grouped).waitFor();

    await page.getByLabel("Tag", { exact: true }).selectOption({ label: `Tag: ${tag.name}` });
    await expect.poll(() => chats(page).getByRole("link").count()).toBe(1);
    expect(await chats(page).textContent()).toContain(names.tagged);
    expect(await chats(page).locator(".tag").textContent()).toBe(tag.name);
    await page.getByLabel("Tag", { exact: true }).selectOption({ label: "Any tag" });

    await page.getByLabel("Assigned to me").check();
    await chatLink(page, names.mine).waitFor();
    expect(await chatLink(page, names.tagged).count()).toBe(0);
    expect(await chatLink(page, names.grouped).count()).toBe(0);
    await page.getByLabel("Assigned to me").uncheck();

    await page.getByLabel("My group").selectOption({ label: `Group: ${group.name}` });
    await expect.poll(() => chats(page).getByRole("link").count()).toBe(1);
    expect(await chats(page).textContent()).toContain(names.grouped);
    await page.getByLabel("My group").selectOption({ label: "Any group" });
    await chatLink(page, names.tagged).waitFor();
    await page.context().close();
  });
});
