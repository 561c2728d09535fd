// Splits a `perf script` dump of the app's workerd thread by what was running (see "Profiling the
// runtime" in bench/README.md): each sample counts to the script of its innermost JavaScript frame,
// or to the runtime when no JavaScript is on its stack. Usage: node bench/perf-split.mjs app.txt
import { readFileSync } from "node:fs";

const file = process.argv[2];
if (!file) throw new Error("usage: node bench/perf-split.mjs <perf script output>");
const byScript = new Map();
const byFunction = new Map();
const add = (map, key) => map.set(key, (map.get(key) ?? 0) + 1);
let total = 0;
for (const sample of readFileSync(file, "utf8").split("\n\n")) {
  const frames = sample.trim().split("\n").slice(1);
  if (!frames.length) continue;
  total++;
  const js = frames.map((f) => /JS:(\S*\s+(\S+?):\d+:\d+)/.exec(f)).find(Boolean);
  if (js) {
    add(byScript, js[2]);
    add(byFunction, js[1]);
    continue;
  }
  const stack = frames.join("\n");
  if (stack.includes("exc_page_fault")) add(byScript, "(runtime: page faults)");
  else if (/CollectGarbage|Scaveng|Sweeper|WorkerThread::Run/.test(stack)) add(byScript, "(runtime: garbage collection)");
  else add(byScript, "(runtime: event loop, HTTP between services, promises)");
}
const print = (map, n) => {
  for (const [key, count] of [...map].sort((a, b) => b[1] - a[1]).slice(0, n))
    console.log(`${((100 * count) / total).toFixed(1).padStart(5)} %  ${key}`);
};
console.log(`${total} samples`);
print(byScript, 20);
console.log("\nfunctions (innermost JavaScript frame):");
print(byFunction, 30);
