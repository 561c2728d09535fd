// CI: `src/db/schema/` and `migrations/` agree, i.e. drizzle-kit would generate nothing.
// Runs drizzle-kit against a copy of migrations/, so the tree is never written.
import { spawnSync } from "node:child_process";
import { cpSync, readdirSync, rmSync } from "node:fs";

const copy = "node_modules/.cache/migrations-check";
rmSync(copy, { recursive: true, force: true });
cpSync("migrations", copy, { recursive: true });
const before = readdirSync(copy).length;
const run = spawnSync(
  "npx",
  [
    "drizzle-kit",
    "generate",
    "--dialect",
    "sqlite",
    "--schema",
    "./src/db/schema/index.ts",
    "--out",
    copy,
    "--casing",
    "snake_case",
    "--name",
    "unmigrated",
  ],
  { encoding: "utf8" },
);
const added =
  readdirSync(copy).filter((f) => f.endsWith(".sql")).length - readdirSync("migrations").filter((f) => f.endsWith(".sql")).length;
rmSync(copy, { recursive: true, force: true });
if (run.status !== 0 || added !== 0 || before === 0) {
  console.error(run.stdout, run.stderr);
  console.error(
    added ? "src/db/schema/ has changes that no migration carries: run `npx drizzle-kit generate --name <what>`." : "drizzle-kit failed",
  );
  process.exit(1);
}
console.log("schema and migrations agree");
