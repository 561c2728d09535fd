import type { Browser, Page } from "playwright-core";
import { inject } from "vitest";
import { ADMIN } from "./switchboard";

export const env = () => ({ base: inject("base"), platformKey: inject("platformKey") });

/** A new browser context (its own cookies and storage) with one page, at `path`. */
export async function openApp(browser: Browser, path = "/", viewport = { width: 1280, height: 800 }): Promise<Page> {
  const context = await browser.newContext({ viewport, baseURL: env().base });
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
