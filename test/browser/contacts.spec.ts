import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { unique } from "./helpers/api";
import { env, logIn, thread } from "./helpers/app";
import { launch } from "./helpers/chromium";
import { customerWrites } from "./helpers/customer";
import { startLocalServer } from "./helpers/local-server";
import { createWorkspace } from "./helpers/workspace";

/**
 * Contacts in a workspace of its own (its contact providers would change every other
 * test's look-ups): the workspace's book, a CRM directory on this machine, and one
 * that is down.
 */
const LENA = { username: "lena", password: "lena-password-1" };
const ADA = "4915123450001";
const CRM_NUMBER = "+49 151 2345 0002";
const CRM = [
  {
    name: "Ada Lovelace (CRM)",
    phone_numbers: [{ phone_number: CRM_NUMBER, description: "mobile" }],
    email_addresses: ["ada@example.com"],
  },
];

let browser: Browser;
let directory: Awaited<ReturnType<typeof startLocalServer>>;
let prefix: string;
beforeAll(async () => {
  browser = await launch();
  directory = await startLocalServer(({ url }) => {
    if (url.pathname === "/down/") return { status: 503, body: "maintenance" };
    const search = (url.searchParams.get("search") ?? "").toLowerCase();
    const results = CRM.filter((e) => e.name.toLowerCase().includes(search));
    return { status: 200, type: "application/json", body: JSON.stringify({ count: results.length, results }) };
  });
  const demo = await createWorkspace(env(), unique("Contacts "), `+1555${String(Date.now()).slice(-7)}`);
  prefix = demo.prefix;
  await demo.createUser("admin", LENA.username, LENA.password);
  const lena = await demo.as(LENA);
  await lena("POST", "/api/v1/contact_providers/", { type: "switchboard", name: "Workspace book" });
  await lena("POST", "/api/v1/contact_providers/", { type: "http", name: "CRM", config: { url: directory.url } });
  await lena("POST", "/api/v1/contact_providers/", { type: "http", name: "Old CRM", config: { url: `${directory.url}down/` } });
  await customerWrites(demo.customers, ADA, "Ada Lovelace", { type: "text", text: { body: "Hello from Ada" } });
  // Her first message made her a workspace contact; the CRM integration adds her language (RapidPro v2).
  await lena("POST", `/api/v2/contacts.json?urn=${encodeURIComponent(`whatsapp:${ADA}`)}`, { language: "eng" });
  await lena("POST", "/api/v1/templates/", {
    name: "order_ready",
    category: "UTILITY",
    language: "en",
    components: [{ type: "BODY", text: "Hello {{1}}, your order is ready.", example: { body_text: [["Ada"]] } }],
  });
});
afterAll(async () => {
  await browser?.close();
  await directory?.close();
});

describe("contacts", () => {
  it("looks a person up across the inbox and the contact providers, checks a number and starts a chat with a template", async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, baseURL: env().base });
    const page = await context.newPage();
    await page.goto(`${prefix}/`);
    await logIn(page, LENA);
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Contacts" }).click();
    expect(new URL(page.url()).pathname).toBe(`${prefix}/main/contacts/`);
    // A deep link under the inbox's prefix, like a thread's.
    await page.reload();

    await page.getByLabel("Name or number").fill("ada");
    await page.getByRole("button", { name: "Look up" }).click();
    const people = page.getByRole("list", { name: "People in this inbox" });
    await people.waitFor();
    expect(await people.getByRole("listitem").count()).toBe(1);
    expect(await people.textContent()).toContain(`Ada Lovelace +${ADA}`);
    // The workspace book lists the same person: shown once. The CRM's entry is its own.
    const entries = page.getByRole("list", { name: "Address book entries" });
    expect(await entries.getByRole("listitem").first().textContent()).toContain("Ada Lovelace (CRM) from CRM");
    expect(await entries.textContent()).toContain(`${CRM_NUMBER} (mobile)`);
    expect(await entries.textContent()).toContain("ada@example.com");
    expect(await entries.textContent()).not.toContain(`+${ADA}`);
    await page.getByRole("alert").filter({ hasText: "Old CRM did not answer" }).waitFor();

    await people.getByText("Details").click();
    const facts = people.locator(".facts");
    await facts.waitFor();
    expect(await facts.textContent()).toContain("Languageeng");
    expect(await facts.textContent()).toContain(`whatsapp:${ADA}`);

    // A number that is no WhatsApp id is said so in words.
    await page.getByLabel("Phone number with its country code").fill("12345");
    await page.getByRole("button", { name: "Check", exact: true }).click();
    await page.getByRole("alert").filter({ hasText: "12345 is not a WhatsApp number" }).waitFor();

    // The CRM's number: checked, then written to with a template (nobody wrote from it yet).
    await page.getByRole("button", { name: `Check ${CRM_NUMBER}` }).click();
    const waId = CRM_NUMBER.replace(/\D/g, "");
    await page
      .getByRole("status")
      .filter({ hasText: `its WhatsApp id is ${waId}` })
      .waitFor();
    expect(await page.getByLabel("Phone number with its country code").inputValue()).toBe(CRM_NUMBER);
    await page.getByRole("link", { name: `Write to +${waId}` }).click();
    expect(new URL(page.url()).pathname).toBe(`${prefix}/main/chat/${waId}`);
    await page.getByRole("heading", { name: "Send a template" }).waitFor();
    await page.getByLabel("Template", { exact: true }).selectOption({ label: "order_ready (en)" });
    await page.getByLabel("Body parameter {{1}}").fill("Ada");
    expect(await page.locator(".template-preview").textContent()).toContain("Hello Ada, your order is ready.");
    await page.getByRole("button", { name: "Send template" }).click();
    await thread(page).locator(".bubble.out", { hasText: 'Template "order_ready"' }).waitFor({ timeout: 10_000 });
    expect(await page.getByRole("alert").count()).toBe(0);

    // And back: the person's own chat opens from the look-up.
    await page.goBack();
    await page.getByLabel("Name or number").fill(ADA.slice(-6));
    await page.getByRole("button", { name: "Look up" }).click();
    await page.getByRole("link", { name: "Open the chat with Ada Lovelace" }).click();
    await thread(page).getByText("Hello from Ada").waitFor();
    await context.close();
  });
});
