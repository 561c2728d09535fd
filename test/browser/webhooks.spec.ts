import type { Browser } from "playwright-core";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { unique } from "./helpers/api";
import { env, logIn, openApp } from "./helpers/app";
import { launch } from "./helpers/chromium";
import { createUser, customerWrites, newCustomer } from "./helpers/customer";
import { startLocalServer } from "./helpers/local-server";

let browser: Browser;
let subscriber: Awaited<ReturnType<typeof startLocalServer>>;
beforeAll(async () => {
  browser = await launch();
  subscriber = await startLocalServer();
});
afterAll(async () => {
  await browser?.close();
  await subscriber?.close();
});

const headersOf = (headers: Record<string, string | string[] | undefined>) =>
  Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, String(v)]));

describe("webhooks in the admin panel", () => {
  it("creates a webhook for a bot, which receives a signed delivery that its log shows, and redelivers it", async () => {
    const bot = unique("crmhook");
    await createUser(env(), "app", bot, `${bot}-password-1`);
    const page = await openApp(browser, "/admin/");
    await logIn(page);
    await page.getByRole("navigation", { name: "Admin" }).getByRole("link", { name: "Webhooks" }).click();
    await page.getByLabel("URL").fill(subscriber.url);
    await page.getByLabel("For user").selectOption({ label: `${bot} (app)` });
    await page.getByRole("button", { name: "Create webhook" }).click();
    const secret = await page.locator("form .secret code").textContent();
    expect(secret).toMatch(/^whsec_/);
    const card = page.getByRole("article", { name: `Webhook of ${bot}` });
    await card.waitFor();
    expect(await card.getByLabel("Incoming messages").isChecked()).toBe(true);

    const waId = newCustomer();
    const wamid = await customerWrites(env(), waId, "Webhook Customer", { type: "text", text: { body: "Tell the CRM" } });
    await expect.poll(() => subscriber.received.filter((r) => r.body.includes(wamid)).length, { timeout: 20_000 }).toBe(1);
    const [delivery] = subscriber.received.filter((r) => r.body.includes(wamid));
    // Signed per Standard Webhooks with the secret the panel showed once.
    expect(() => new Webhook(secret ?? "").verify(delivery?.body ?? "", headersOf(delivery?.headers ?? {}))).not.toThrow();

    await card.getByRole("button", { name: "Delivery log" }).click();
    const log = card.getByRole("table", { name: `Deliveries to ${subscriber.url}` });
    const delivered = log.locator("tbody tr[data-state=delivered]");
    // The log is written as the attempt ends: refresh until it shows.
    await expect
      .poll(
        async () => {
          if (!(await delivered.count())) await card.getByRole("button", { name: "Refresh the delivery log" }).click();
          return delivered.count();
        },
        { timeout: 20_000, interval: 1000 },
      )
      .toBeGreaterThan(0);
    const row = delivered.first();
    expect(await row.locator(".attempts li").first().textContent()).toMatch(/: 200 in \d+ ms "received"/);

    await row.getByRole("button", { name: "Redeliver" }).click();
    await expect.poll(() => subscriber.received.filter((r) => r.body.includes(wamid)).length, { timeout: 20_000 }).toBe(2);
    const [first, again] = subscriber.received.filter((r) => r.body.includes(wamid));
    expect(again?.headers["webhook-id"]).toBe(first?.headers["webhook-id"]);
    await page.context().close();
  });
});
