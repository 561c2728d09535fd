import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chatLink, env, logIn, openApp, thread } from "./helpers/app";
import { launch } from "./helpers/chromium";
import { createUser, customerWrites, newCustomer } from "./helpers/customer";
import { ADMIN } from "./helpers/switchboard";

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

describe("the web inbox in Chromium", () => {
  it("logs in, lists chats, opens one, sends a reply that goes sent → delivered → read, and logs out", async () => {
    const waId = newCustomer();
    await customerWrites(env(), waId, "Ada Lovelace", { type: "text", text: { body: "Where is *my* _order_? ~old~ ```ABC-1```" } });
    const page = await openApp(browser);
    await logIn(page);

    const link = chatLink(page, "Ada Lovelace");
    await expect.poll(() => link.count()).toBe(1);
    await expect.poll(() => link.textContent()).toContain("1");
    await link.click();
    expect(new URL(page.url()).pathname).toBe(`/main/chat/${waId}`);

    const inbound = thread(page).locator(".bubble.in").first();
    await inbound.waitFor();
    expect(await inbound.locator("strong").textContent()).toBe("my");
    expect(await inbound.locator("em").textContent()).toBe("order");
    expect(await inbound.locator("s").textContent()).toBe("old");
    expect(await inbound.locator("code").textContent()).toBe("ABC-1");

    await page.getByRole("textbox", { name: "Message" }).fill("It ships *today*.");
    await page.getByRole("textbox", { name: "Message" }).press("Enter");
    const reply = thread(page).locator(".bubble.out", { hasText: "It ships today." });
    await reply.waitFor();
    expect(await reply.locator("strong").textContent()).toBe("today");
    // The sandbox reports sent, delivered and read within seconds: the ticks follow live.
    await expect.poll(() => reply.locator(".ticks").getAttribute("data-status"), { timeout: 20_000 }).toBe("read");
    expect(await page.getByRole("status").filter({ hasText: "Live" }).count()).toBe(1);

    // Seeing the thread marked the message received: no unread count left.
    await expect.poll(() => link.locator(".unread").count()).toBe(0);

    await page.getByRole("button", { name: "Log out" }).click();
    await page.getByLabel("Username").waitFor();
    await page.reload();
    await page.getByLabel("Username").waitFor();
    expect(await page.getByRole("button", { name: "Log out" }).count()).toBe(0);
    await page.context().close();
  });

  it("shows a customer's message live, in the list and in the open thread", async () => {
    const waId = newCustomer();
    await customerWrites(env(), waId, "Grace Hopper", { type: "text", text: { body: "First question" } });
    const page = await openApp(browser);
    await logIn(page);
    await chatLink(page, "Grace Hopper").click();
    await thread(page).getByText("First question").waitFor();
    await page.getByRole("status").filter({ hasText: "Live" }).waitFor();

    await customerWrites(env(), waId, "Grace Hopper", { type: "text", text: { body: "Second question, live" } });
    await thread(page).getByText("Second question, live").waitFor({ timeout: 10_000 });
    await chatLink(page, "Grace Hopper").getByText("Second question, live").waitFor({ timeout: 10_000 });

    // A chat that did not exist when the page loaded appears at the top of the list.
    const other = newCustomer();
    await customerWrites(env(), other, "Katherine Johnson", { type: "text", text: { body: "New here" } });
    await chatLink(page, "Katherine Johnson").waitFor({ timeout: 10_000 });
    const first = page.getByRole("navigation", { name: "Chats" }).getByRole("link").first();
    expect(await first.textContent()).toContain("Katherine Johnson");
    await page.context().close();
  });

  it("keeps messages of one second in the order they arrived, on load and live", async () => {
    const waId = newCustomer();
    const second = String(Math.floor(Date.now() / 1000) - 30);
    for (const body of ["One", "Two", "Three"])
      await customerWrites(env(), waId, "Same Second", { type: "text", text: { body }, timestamp: second });
    const page = await openApp(browser, `/main/chat/${waId}`);
    await logIn(page);
    const texts = () => thread(page).locator(".bubble .content").allTextContents();
    await thread(page).getByText("Three").waitFor();
    expect(await texts()).toEqual(["One", "Two", "Three"]);
    await page
      .getByRole("status")
      .filter({ hasText: /^Live$/ })
      .waitFor();
    await customerWrites(env(), waId, "Same Second", { type: "text", text: { body: "Four" }, timestamp: second });
    await thread(page).getByText("Four").waitFor({ timeout: 10_000 });
    expect(await texts()).toEqual(["One", "Two", "Three", "Four"]);
    await page.reload();
    await thread(page).getByText("Four").waitFor();
    expect(await texts()).toEqual(["One", "Two", "Three", "Four"]);
    await page.context().close();
  });

  it("renders media through /api/v1/media/{id}/ and unsupported types as a labelled placeholder", async () => {
    const waId = newCustomer();
    await customerWrites(env(), waId, "Media Person", {
      type: "image",
      image: { id: "media-123", mime_type: "image/jpeg", caption: "A *photo*" },
    });
    await customerWrites(env(), waId, "Media Person", { type: "unsupported", errors: [{ code: 131051, title: "Message type unknown" }] });
    const page = await openApp(browser, `/main/chat/${waId}`);
    await logIn(page);
    const image = thread(page).getByRole("img", { name: "A *photo*" });
    await image.waitFor();
    expect(await image.getAttribute("src")).toBe("/api/v1/media/media-123/");
    await thread(page).getByText("[Unsupported message type: unsupported]").waitFor();
    await page.context().close();
  });

  it("survives a reload at a deep link, and shows API errors in words", async () => {
    const waId = newCustomer();
    await customerWrites(env(), waId, "Deep Link", { type: "text", text: { body: "Link me" } });
    const page = await openApp(browser, `/main/chat/${waId}`);
    await logIn(page);
    await thread(page).getByText("Link me").waitFor();
    await page.reload();
    await thread(page).getByText("Link me").waitFor();
    expect(await page.getByRole("heading", { name: "Deep Link" }).count()).toBe(1);

    // Nobody with this number ever wrote: WhatsApp's 24-hour window is closed, so only templates are offered.
    const stranger = newCustomer();
    await page.goto(`/main/chat/${stranger}`);
    await page.getByText("No messages with this number yet.").waitFor();
    await page.getByText("The customer has not written yet, so the 24-hour window is closed").waitFor();
    expect(await page.getByRole("textbox", { name: "Message" }).count()).toBe(0);
    await page.getByRole("heading", { name: "Send a template" }).waitFor();

    await page.goto("/admin/");
    await page
      .getByRole("table", { name: "Users" })
      .getByRole("row", { name: new RegExp(`^${ADMIN.username} admin`) })
      .waitFor();
    await page.reload();
    await page.getByRole("table", { name: "Users" }).waitFor();
    await page.context().close();
  });

  it("refuses app users with a clear message and wrong passwords in words", async () => {
    await createUser(env(), "app", "crmbot", "crmbot-password-1");
    const page = await openApp(browser);
    await logIn(page, { username: "crmbot", password: "crmbot-password-1" });
    await page.getByRole("alert").filter({ hasText: "app (integration) account" }).waitFor();
    await logIn(page, { username: ADMIN.username, password: "not-the-password" });
    const alert = page.getByRole("alert");
    await expect.poll(() => alert.textContent()).not.toContain("app (integration)");
    expect(await alert.textContent()).toMatch(/\w+ \w+/);
    await page.context().close();
  });

  it("ends on the app after the server's /login/ form, on a 360 px phone", async () => {
    const waId = newCustomer();
    await customerWrites(env(), waId, "Phone Person", { type: "text", text: { body: "From a phone" } });
    const page = await openApp(browser, "/login/", { width: 360, height: 740 });
    await page.getByLabel("Username").fill(ADMIN.username);
    await page.getByLabel("Password").fill(ADMIN.password);
    await page.getByRole("button", { name: "Log in" }).click();
    await page.waitForURL((url) => url.pathname === "/");
    // A session cookie, no token: the app works, and polls instead of the WebSocket.
    await page.getByRole("status").filter({ hasText: "Updating every few seconds" }).waitFor();
    await chatLink(page, "Phone Person").click();
    await thread(page).getByText("From a phone").waitFor();
    // One pane at a time on a phone: the thread replaces the list, "Chats" goes back.
    expect(await page.getByRole("navigation", { name: "Chats" }).isVisible()).toBe(false);
    await page.getByRole("textbox", { name: "Message" }).fill("Answer from a phone");
    await page.getByRole("button", { name: "Send" }).click();
    await thread(page).getByText("Answer from a phone").waitFor();
    await customerWrites(env(), waId, "Phone Person", { type: "text", text: { body: "Thanks!" } });
    await thread(page).getByText("Thanks!").waitFor({ timeout: 15_000 });
    const scrollWidth = await page.locator("html").evaluate((html) => html.scrollWidth);
    expect(scrollWidth).toBeLessThanOrEqual(360);
    await page.getByRole("link", { name: "Chats" }).click();
    await chatLink(page, "Phone Person").waitFor();
    await page.context().close();
  });
});
