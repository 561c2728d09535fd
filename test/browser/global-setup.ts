import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { ensureChromium } from "./helpers/chromium";
import { startSwitchboard } from "./helpers/switchboard";

declare module "vitest" {
  export interface ProvidedContext {
    base: string;
    platformKey: string;
  }
}

/** One Worker for every browser test file, as `npm start` runs it, on a fresh state directory. */
export default async function setup(project: TestProject) {
  ensureChromium();
  const persistTo = mkdtempSync(join(tmpdir(), "switchboard-browser-"));
  const server = await startSwitchboard(persistTo);
  project.provide("base", server.base);
  project.provide("platformKey", server.platformKey);
  return async () => {
    await server.stop();
    rmSync(persistTo, { recursive: true, force: true });
  };
}
