import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { type Browser, chromium } from "playwright-core";

/** Debian's Chromium, never a downloaded browser. */
export const CHROMIUM = "/usr/bin/chromium";
const ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** Installs Chromium where that is possible (root with apt-get), else stops with the command to run. */
export function ensureChromium() {
  if (existsSync(CHROMIUM)) return;
  const command = "apt-get install -y chromium";
  if (process.getuid?.() === 0) {
    try {
      execFileSync("sh", ["-c", command], { stdio: "inherit" });
    } catch {
      // Reported below.
    }
  }
  if (!existsSync(CHROMIUM))
    throw new Error(`The browser tests need Chromium at ${CHROMIUM}: run \`sudo ${command}\`, then the tests again.`);
}

/** Chromium with a fresh profile (playwright-core gives every launch its own temporary user data directory). */
export const launch = (): Promise<Browser> => chromium.launch({ executablePath: CHROMIUM, args: ARGS, headless: true });
