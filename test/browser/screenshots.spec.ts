import { mkdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chatLink, env, logIn, thread } from "./helpers/app";
import { launch } from "./helpers/chromium";
import { customerWrites, customerWritesMany } from "./helpers/customer";
import { createWorkspace } from "./helpers/workspace";

/**
 * The README's screenshots (docs/inbox.png, docs/admin.png, docs/phone.png), taken of a
 * workspace of their own with fixed people and texts, so only the clock differs between runs.
 * Every run takes them; `UPDATE_SCREENSHOTS=1` writes them into docs/, other runs into a
 * temporary directory, so a test run leaves the checkout as it was.
 */
const DOCS = process.env.UPDATE_SCREENSHOTS
  ? fileURLToPath(new URL("../../docs/", import.meta.url))
  : `${mkdtempSync(join(tmpdir(), "switchboard-screenshots-"))}/`;
const MARIA = { username: "maria", password: "maria-password-1" };
const ADA = "4915112340001";

let browser: Browser;
let prefix: string;
beforeAll(async () => {
  browser = await launch();
  mkdirSync(DOCS, { recursive: true });
  const demo = await createWorkspace(env(), "Acme Support", "+15550100099");
  prefix = demo.prefix;
  await demo.createUser("admin", MARIA.username, MARIA.password);
  const sam = await demo.createUser("user", "sam", "sam-password-1");
  await demo.createUser("app", "crmbot", "crmbot-password-1");
  const maria = await demo.as(MARIA);
  const returns = await maria("POST", "/api/v1/groups/", { name: "Returns desk" });
  const vip = await maria("POST", "/api/v1/tags/", { name: "VIP", web_inbox_color: "#b8860b" });
  const refund = await maria("POST", "/api/v1/tags/", { name: "Refund", web_inbox_color: "#0b6e4f" });

  const text = (body: string) => ({ type: "text", text: { body } });
  const customers = demo.customers;
  await customerWrites(customers, "4790012345", "Katherine Johnson", text("Could you send the invoice for order A-0977?"));
  await maria("POST", "/api/v1/chat_tagging/", { tag: refund.id, chat: "4790012345" });
  await customerWrites(customers, "447700900123", "Alan Turing", text("Is the shop open on Sunday?"));
  await customerWrites(customers, "14155550123", "Grace Hopper", text("Do you ship to Norway?"));
  await maria("PATCH", "/api/v1/chat_assignment/14155550123/", { assigned_group: returns.id });
  // A second apart, so the thread's order does not depend on arrival within one second.
  const nextSecond = () => new Promise((resolve) => setTimeout(resolve, 1100));
  await customerWritesMany(customers, ADA, "Ada Lovelace", ["Hi! My order *A-1042* arrived damaged.", "Can I get a replacement?"], 60);
  await maria("PATCH", `/api/v1/chat_assignment/${ADA}/`, { assigned_to_user: sam.id });
  await maria("POST", "/api/v1/chat_tagging/", { tag: vip.id, chat: ADA });
  await nextSecond();
  await maria("POST", "/api/v1/messages/", {
    wa_id: ADA,
    type: "text",
    text: { body: "Sorry to hear that, Ada. A replacement ships _today_ and you keep the damaged one." },
  });
  await nextSecond();
  await customerWrites(customers, ADA, "Ada Lovelace", text("Thank you, that was quick!"));
});
afterAll(async () => {
  await browser?.close();
});

async function open(path: string, viewport: { width: number; height: number }): Promise<Page> {
  // Notifications granted: the header shows no "Enable notifications" button.
  const context = await browser.newContext({
    viewport,
    baseURL: env().base,
    locale: "en-GB",
    timezoneId: "UTC",
    permissions: ["notifications"],
  });
  const page = await context.newPage();
  await page.goto(`${prefix}${path}`);
  await logIn(page, MARIA);
  return page;
}

const shoot = (page: Page, name: string) => page.screenshot({ path: `${DOCS}${name}`, animations: "disabled", caret: "hide" });

describe("screenshots for the README", () => {
  it("the inbox with a thread open, on a desktop", async () => {
    const page = await open(`/main/chat/${ADA}`, { width: 1280, height: 800 });
    await thread(page).getByText("Thank you, that was quick!").waitFor();
    await chatLink(page, "Katherine Johnson").waitFor();
    await page
      .getByRole("status")
      .filter({ hasText: /^Live$/ })
      .waitFor();
    const reply = thread(page).locator(".bubble.out");
    await expect.poll(() => reply.locator(".ticks").getAttribute("data-status"), { timeout: 20_000 }).toBe("read");
    await shoot(page, "inbox.png");
    await page.context().close();
  });

  it("the admin panel", async () => {
    const page = await open("/admin/users/", { width: 1280, height: 800 });
    await page
      .getByRole("table", { name: "Users" })
      .getByRole("row", { name: /crmbot/ })
      .waitFor();
    await shoot(page, "admin.png");
    await page.context().close();
  });

  it("a thread on a 360 px phone", async () => {
    const page = await open(`/main/chat/${ADA}`, { width: 360, height: 740 });
    await thread(page).getByText("Thank you, that was quick!").waitFor();
    await page
      .getByRole("status")
      .filter({ hasText: /^Live$/ })
      .waitFor();
    expect(await page.locator("html").evaluate((html) => html.scrollWidth)).toBeLessThanOrEqual(360);
    await shoot(page, "phone.png");
    await page.context().close();
  });
});
