// `npm run check:ui-budget`: the web inbox's initial JavaScript (the entry script and every
// module it preloads, as ui/dist/index.html names them) must stay within 200 KB gzipped.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";

const BUDGET_BYTES = 200 * 1024;
const DIST = "ui/dist";

let html;
try {
  html = readFileSync(join(DIST, "index.html"), "utf8");
} catch {
  console.error(`${DIST}/index.html is missing: run \`npm run build:ui\` first.`);
  process.exit(1);
}
const scripts = [...html.matchAll(/<script[^>]*\btype="module"[^>]*\bsrc="([^"]+)"/g)].map((m) => m[1]);
const preloads = [...html.matchAll(/<link[^>]*\brel="modulepreload"[^>]*\bhref="([^"]+)"/g)].map((m) => m[1]);
const files = [...new Set([...scripts, ...preloads])];
if (!scripts.length) {
  console.error(`${DIST}/index.html loads no module script: is this the web inbox's build?`);
  process.exit(1);
}
let total = 0;
for (const file of files) {
  const size = gzipSync(readFileSync(join(DIST, file.replace(/^\//, "")))).length;
  total += size;
  console.log(`${file}: ${(size / 1024).toFixed(1)} KB gzipped`);
}
const verdict = `initial JavaScript ${(total / 1024).toFixed(1)} KB gzipped, budget ${BUDGET_BYTES / 1024} KB`;
if (total > BUDGET_BYTES) {
  console.error(`Over budget: ${verdict}.`);
  process.exit(1);
}
console.log(`Within budget: ${verdict}.`);
