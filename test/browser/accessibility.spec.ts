import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chatLink, env, logIn, openApp, thread } from "./helpers/app";
import { seriousViolations } from "./helpers/axe";
import { launch } from "./helpers/chromium";
import { customerWrites, newCustomer } from "./helpers/customer";

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

describe("accessibility (axe-core)", () => {
  it("finds nothing serious on the login page, the chat list, a thread with its tools and the contacts, wide and narrow", async () => {
    const waId = newCustomer();
    await customerWrites(env(), waId, "Axe Customer", { type: "text", text: { body: "Is this *accessible*?" } });
    for (const viewport of [
      { width: 1280, height: 800 },
      { width: 360, height: 740 },
    ]) {
      const page = await openApp(browser, "/", viewport);
      await page.getByLabel("Username").waitFor();
      expect(await seriousViolations(page)).toEqual([]);
      await logIn(page);
      await chatLink(page, "Axe Customer").waitFor();
      expect(await seriousViolations(page)).toEqual([]);
      await chatLink(page, "Axe Customer").click();
      await thread(page).getByText("accessible").waitFor();
      expect(await seriousViolations(page)).toEqual([]);
      await page.getByText("Assignment and tags").click();
      await page.getByLabel("Group", { exact: true }).waitFor();
      expect(await seriousViolations(page)).toEqual([]);
      await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Contacts" }).click();
      await page.getByLabel("Name or number").fill("Axe Customer");
      await page.getByRole("button", { name: "Look up" }).click();
      await page.getByRole("list", { name: "People in this inbox" }).waitFor();
      await page.getByLabel("Phone number with its country code").fill("12345");
      await page.getByRole("button", { name: "Check", exact: true }).click();
      await page.getByRole("alert").filter({ hasText: "not a WhatsApp number" }).waitFor();
      expect(await seriousViolations(page)).toEqual([]);
      await page.context().close();
    }
  });

  it("can be used with the keyboard alone, with a visible focus", async () => {
    const waId = newCustomer();
    await customerWrites(env(), waId, "Keyboard Customer", { type: "text", text: { body: "Tab to me" } });
    const page = await openApp(browser);
    await page.getByLabel("Username").waitFor();
    await page.keyboard.type("admin");
    await page.keyboard.press("Tab");
    await page.keyboard.type("admin-password-1");
    await page.keyboard.press("Enter");
    const link = chatLink(page, "Keyboard Customer");
    await link.waitFor();
    // Tab until the chat link has the focus, then open it with Enter.
    for (let i = 0; i < 40 && !(await link.evaluate((el) => el.matches(":focus"))); i++) await page.keyboard.press("Tab");
    const outline = await link.evaluate((el) => el.ownerDocument.defaultView?.getComputedStyle(el).outlineStyle);
    expect(outline).toBe("solid");
    await page.keyboard.press("Enter");
    await page.waitForURL((url) => url.pathname === `/main/chat/${waId}`);
    await thread(page).getByText("Tab to me").waitFor();
    await page.context().close();
  });
});
