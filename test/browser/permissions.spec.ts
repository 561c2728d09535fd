import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminApi, unique } from "./helpers/api";
import { chatLink, chatList, env, logIn, openApp, thread } from "./helpers/app";
import { launch } from "./helpers/chromium";
import { createUser, customerWrites, newCustomer } from "./helpers/customer";

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

const text = (body: string) => ({ type: "text", text: { body } });

describe("read permission", () => {
  it("shows a user who may read only their assigned chats those chats alone: in the list, live, in search and at a deep link", async () => {
    const admin = await adminApi(env());
    const username = unique("reader");
    const credentials = { username, password: `${username}-password-1` };
    const reader = await createUser(env(), "user", credentials.username, credentials.password);
    await admin.patch(`/api/v1/users/${reader.id}/`, {
      permissions: { can_read_chats: "assigned", can_write_to_chats: "assigned", can_use_tags: true },
    });
    const word = unique("parcel");
    const [mine, other] = [newCustomer(), newCustomer()];
    await customerWrites(env(), mine, "Reader's Customer", text(`${word} for the reader`));
    await customerWrites(env(), other, "Someone Else", text(`${word} for somebody else`));
    await admin.patch(`/api/v1/chat_assignment/${mine}/`, { assigned_to_user: reader.id });

    const page = await openApp(browser);
    await logIn(page, credentials);
    await chatLink(page, "Reader's Customer").waitFor();
    await page.getByRole("status").filter({ hasText: "Live" }).waitFor();
    expect(await chatList(page).getByRole("link").count()).toBe(1);

    // Live: a new message in the other chat never reaches this list; one in theirs does.
    await customerWrites(env(), other, "Someone Else", text("Still nobody's"));
    await customerWrites(env(), mine, "Reader's Customer", text("A second one for the reader"));
    await chatLink(page, "Reader's Customer").getByText("A second one for the reader").waitFor({ timeout: 10_000 });
    expect(await chatLink(page, "Someone Else").count()).toBe(0);
    expect(await chatList(page).getByRole("link").count()).toBe(1);

    // Search across the inbox finds only their message.
    await page.getByRole("searchbox", { name: "Search chats and messages" }).fill(word);
    const hits = page.getByRole("region", { name: /^Messages/ });
    await hits.getByRole("link").first().waitFor();
    expect(await hits.getByRole("heading").textContent()).toBe("Messages (1)");
    expect(await hits.textContent()).toContain("for the reader");

    // A deep link to the other chat shows none of it.
    await page.goto(`/main/chat/${other}`);
    await page.getByText("No messages with this number yet.").waitFor();
    expect(await thread(page).getByText("somebody else").count()).toBe(0);
    expect(await page.getByRole("heading", { name: "Someone Else" }).count()).toBe(0);
    await page.context().close();
  });
});
