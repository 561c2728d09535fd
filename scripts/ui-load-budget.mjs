// `npm run check:ui-load`: the web inbox's chat list must be interactive within 1 s on
// `npm start` with the bench generator's data (5,000 chats, 1,000,000 messages, or
// UI_LOAD_MESSAGES/UI_LOAD_CHATS). `npm start` runs once on an empty state directory to
// bootstrap, is stopped while bench/generate.mjs fills its D1 file, and runs again; then
// Debian's Chromium logs in and reloads the app, timing each load from navigation to the
// first page of chats shown and a chat opening on a click; the median of three counts.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { generate } from "../bench/generate.mjs";
// The browser tests' own Chromium and `npm start` runner (Node strips their types).
import { ensureChromium, launch } from "../test/browser/helpers/chromium.ts";
import { ADMIN, startSwitchboard } from "../test/browser/helpers/switchboard.ts";

const BUDGET_MS = 1000;
const MESSAGES = Number(process.env.UI_LOAD_MESSAGES ?? 1_000_000);
const CHATS = Number(process.env.UI_LOAD_CHATS ?? 5_000);

ensureChromium();
const persistTo = mkdtempSync(join(tmpdir(), "switchboard-ui-load-"));
await (await startSwitchboard(persistTo)).stop();
const generated = await generate({ persist: persistTo, messages: MESSAGES, chats: CHATS, log: () => {} });
console.log(`generated ${generated.messages.toLocaleString("en-US")} messages in ${CHATS.toLocaleString("en-US")} chats`);
const { base, stop } = await startSwitchboard(persistTo);

const browser = await launch();
const loads = [];
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(base);
  await page.getByLabel("Username").fill(ADMIN.username);
  await page.getByLabel("Password").fill(ADMIN.password);
  await page.getByRole("button", { name: "Log in" }).click();
  const chats = page.getByRole("list", { name: "Chat list" }).getByRole("link");
  await chats.first().waitFor();
  // A warm-up load, then timed ones: navigation to a page of chats, then a click opening the first.
  for (let i = 0; i < 4; i++) {
    const started = Date.now();
    await page.reload();
    await chats.nth(19).waitFor();
    await chats.first().click();
    await page.locator("#thread-title").waitFor();
    if (i > 0) loads.push(Date.now() - started);
  }
} finally {
  await browser.close();
  await stop();
  rmSync(persistTo, { recursive: true, force: true });
}
const median = [...loads].sort((a, b) => a - b)[1];
console.log(
  `chat list interactive (reload → 20 chats shown → a chat opened): ${loads.join(" / ")} ms, median ${median}; budget ${BUDGET_MS} ms`,
);
if (median > BUDGET_MS) {
  console.error(`Over budget: the median load took ${median} ms.`);
  process.exit(1);
}
console.log("Within budget.");
