import type { Browser, BrowserContext, Page } from "playwright-core";
import { inject } from "vitest";
import { ADMIN } from "./switchboard";

export const env = () => ({ base: inject("base"), platformKey: inject("platformKey") });

/**
 * A new browser context (its own cookies and storage) with one page, at `path`;
 * `prepare` sets the context up before the page loads (routes, …).
 */
export async function openApp(
  browser: Browser,
  path = "/",
  viewport = { width: 1280, height: 800 },
  prepare?: (context: BrowserContext) => Promise<void>,
): Promise<Page> {
  const context = await browser.newContext({ viewport, baseURL: env().base });
  await prepare?.(context);
  const page = await context.newPage();
  await page.goto(path);
  return page;
}

/** Logs in through the app's own form. */
export async function logIn(page: Page, credentials = ADMIN) {
  await page.getByLabel("Username").fill(credentials.username);
  await page.getByLabel("Password").fill(credentials.password);
  await page.getByRole("button", { name: "Log in" }).click();
}

export const chatLink = (page: Page, name: string) =>
  page.getByRole("navigation", { name: "Chats" }).getByRole("link", { name: new RegExp(name) });
export const thread = (page: Page) => page.locator(".messages");
/** The chat list's entries (what this user may read, narrowed by the filters). */
export const chatList = (page: Page) => page.getByRole("list", { name: "Chat list" });
/** One line of a thread's inline history (assignments, taggings). */
export const historyLine = (page: Page, text: string) => thread(page).locator("li.history", { hasText: text });
