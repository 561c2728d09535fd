// `npm run check:ui-load`: the web inbox's chat list must be interactive within 1 s on
// `npm start` with the bench generator's data (5,000 chats, 1,000,000 messages, or
// UI_LOAD_MESSAGES/UI_LOAD_CHATS). `npm start` runs once on an empty state directory to
// bootstrap, is stopped while bench/generate.mjs fills its D1 file, and runs again; then
// Debian's Chromium logs in and reloads the app, timing each load from navigation to the
// first page of chats shown and a chat opening on a click; the median of three counts.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { findD1File, generate } from "../bench/generate.mjs";
import { freePort } from "./local-worker.mjs";

const BUDGET_MS = 1000;
const MESSAGES = Number(process.env.UI_LOAD_MESSAGES ?? 1_000_000);
const CHATS = Number(process.env.UI_LOAD_CHATS ?? 5_000);
const ADMIN = { username: "admin", password: "admin-password-1" };

/** `npm start` on this state directory; resolves once it says it is up. */
async function start(persistTo, port) {
  const child = spawn(process.execPath, ["scripts/start.mjs"], {
    env: { ...process.env, PORT: String(port), INSPECTOR_PORT: String(await freePort()), PERSIST_TO: persistTo, SKIP_UI_BUILD: "1" },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  let output = "";
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`npm start did not come up:\n${output.slice(-3000)}`)), 150_000);
    const read = (chunk) => {
      output += chunk;
      if (output.includes("Switchboard is up")) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout.on("data", read);
    child.stderr.on("data", read);
    child.once("exit", (code) => reject(new Error(`npm start exited (${code}):\n${output.slice(-3000)}`)));
  });
  return () =>
    new Promise((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once("exit", resolve);
      process.kill(-child.pid, "SIGTERM");
    });
}

const persistTo = mkdtempSync(join(tmpdir(), "switchboard-ui-load-"));
const port = await freePort();
const base = `http://127.0.0.1:${port}`;
let stop = await start(persistTo, port);
await stop();
const generated = await generate({ dbPath: await findD1File(persistTo), messages: MESSAGES, chats: CHATS, log: () => {} });
console.log(`generated ${generated.messages.toLocaleString("en-US")} messages in ${CHATS.toLocaleString("en-US")} chats`);
stop = await start(persistTo, port);

const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
  headless: true,
});
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
