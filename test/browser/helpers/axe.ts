import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { Page } from "playwright-core";

const AXE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

type Violation = { id: string; impact: string | null; help: string; nodes: { target: unknown[] }[] };
type Axe = { run: (context: unknown, options: object) => Promise<{ violations: Violation[] }> };
const RULE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"];

/** axe-core's serious and critical findings on the page as it is now (WCAG 2.x A and AA rules). */
export async function seriousViolations(page: Page) {
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
