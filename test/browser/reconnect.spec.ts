import type { Browser, Page, WebSocketRoute } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { env, logIn, openApp, thread } from "./helpers/app";
import { launch } from "./helpers/chromium";
import { customerWrites, customerWritesMany, newCustomer } from "./helpers/customer";

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

/**
 * A thread whose network can be cut. Offline emulation fails requests but leaves open
 * WebSockets be, so a route drops the socket too, and refuses new ones while offline.
 */
async function openWithOutage(waId: string) {
  let online = true;
  const sockets: WebSocketRoute[] = [];
  const page = await openApp(browser, `/main/chat/${waId}`, undefined, (context) =>
    context.routeWebSocket(/\/ws\/$/, (ws) => {
      if (!online) return void ws.close({ code: 4000, reason: "offline" });
      ws.connectToServer();
      sockets.push(ws);
    }),
  );
  await logIn(page);
  const live = page.getByRole("status").filter({ hasText: /^Live$/ });
  await live.waitFor();
  return {
    page,
    goOffline: async () => {
      online = false;
      await page.context().setOffline(true);
      await Promise.all(sockets.map((ws) => ws.close({ code: 4000, reason: "network lost" })));
      await page.getByRole("status").filter({ hasText: "Offline: reconnecting…" }).waitFor();
    },
    goOnline: async () => {
      online = true;
      await page.context().setOffline(false);
      await live.waitFor({ timeout: 20_000 });
    },
  };
}

const customerTexts = (page: Page) => thread(page).locator(".bubble.in .content").allTextContents();
const texts = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix} ${i + 1}`);

describe("the live feed after a network loss", () => {
  it("reconnects and catches up with since_time: every message missed shows exactly once, in order", async () => {
    const waId = newCustomer();
    await customerWritesMany(env(), waId, "Offline Customer", ["Before the outage"], 120);
    const { page, goOffline, goOnline } = await openWithOutage(waId);
    await thread(page).getByText("Before the outage").waitFor();

    await goOffline();
    // More than a page of the thread (30) arrives meanwhile.
    const missed = texts("Missed while offline", 40);
    await customerWritesMany(env(), waId, "Offline Customer", missed, 90);
    await page.waitForTimeout(1000);
    expect(await thread(page).getByText("Missed while offline").count()).toBe(0);

    const catchUps: string[] = [];
    page.on("request", (request) => {
      const url = new URL(request.url());
      if (url.pathname === `/api/v1/messages/${waId}/` && url.searchParams.has("since_time")) catchUps.push(request.url());
    });
    await goOnline();
    await thread(page)
      .getByText(missed.at(-1) ?? "", { exact: true })
      .waitFor({ timeout: 10_000 });
    expect(catchUps.length).toBeGreaterThan(0);
    expect(await customerTexts(page)).toEqual(["Before the outage", ...missed]);

    // Live again: the next message arrives once, after the others.
    await customerWrites(env(), waId, "Offline Customer", { type: "text", text: { body: "Back online" } });
    await thread(page).getByText("Back online").waitFor({ timeout: 10_000 });
    expect(await customerTexts(page)).toEqual(["Before the outage", ...missed, "Back online"]);
    await page.context().close();
  });

  it("after missing more than one catch-up reads, starts from the latest and loads the rest upward, without a gap", async () => {
    const waId = newCustomer();
    await customerWritesMany(env(), waId, "Long Outage", ["Before the long outage"], 400);
    const { page, goOffline, goOnline } = await openWithOutage(waId);
    await thread(page).getByText("Before the long outage").waitFor();

    await goOffline();
    const missed = texts("Missed during the long outage", 150);
    await customerWritesMany(env(), waId, "Long Outage", missed, 300);
    await goOnline();
    await thread(page)
      .getByText(missed.at(-1) ?? "", { exact: true })
      .waitFor({ timeout: 10_000 });
    const before = thread(page).getByText("Before the long outage");
    // "Load older messages" until the message from before the outage is back (the button reads "Loading…" meanwhile).
    const older = page.getByRole("button", { name: "Load older messages" });
    await expect
      .poll(
        async () => {
          if (await before.count()) return true;
          if (await older.count()) await older.click();
          return false;
        },
        { timeout: 20_000 },
      )
      .toBe(true);
    expect(await customerTexts(page)).toEqual(["Before the long outage", ...missed]);
    await page.context().close();
  });
});
