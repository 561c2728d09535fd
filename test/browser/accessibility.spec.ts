import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chatLink, env, logIn, openApp, thread } from "./helpers/app";
import { launch } from "./helpers/chromium";
import { customerWrites, newCustomer } from "./helpers/customer";

const AXE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

type Violation = { id: string; impact: string | null; help: string; nodes: { target: unknown[] }[] };
type Axe = { run: (context: unknown, options: object) => Promise<{ violations: Violation[] }> };
const RULE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"];

/** axe-core's serious and critical findings on the page as it is now (WCAG 2.x A and AA rules). */
async function seriousViolations(page: Page) {
  await page.addScriptTag({ content: AXE });
  // Names the page's globals through the element handle: these files also compile in test/'s Workers-typed project.
  const violations = await page.locator("html").evaluate(async (html, values) => {
    const { axe } = html.ownerDocument.defaultView as unknown as { axe: Axe };
    const result = await axe.run(html.ownerDocument, { runOnly: { type: "tag", values } });
    return result.violations;
  }, RULE_TAGS);
  return violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => JSON.stringify(n.target)).join(", ")}`);
}

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

describe("accessibility (axe-core)", () => {
  it("finds nothing serious on the login page, the chat list and a thread, wide and narrow", async () => {
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
