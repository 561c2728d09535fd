// `npm run deploy`: first-time provisioning and deploy to a Cloudflare account
// (needs `wrangler login` or CLOUDFLARE_API_TOKEN). Each step is safe to re-run.
import { execSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { d1Bindings, d1Databases } from "./d1-bindings.mjs";

const run = (cmd, { allowFail = false } = {}) => {
  console.log(`\n$ ${cmd}`);
  try {
    return execSync(cmd, { stdio: ["inherit", "pipe", "inherit"] }).toString();
  } catch (e) {
    if (!allowFail) throw e;
    console.log("(already there, continuing)");
    return "";
  }
};

// 1. D1: create each database of wrangler.toml once (the directory, then the message shards;
// placeholder ids are all zeros but the last digit) and write its id into wrangler.toml.
let toml = readFileSync("wrangler.toml", "utf8");
for (const { name, databaseId } of d1Databases()) {
  if (!/^00000000-0000-0000-0000-00000000000\d$/.test(databaseId)) continue;
  const out = run(`npx wrangler d1 create ${name}`, { allowFail: true });
  const id = out.match(/database_id\s*=\s*"([0-9a-f-]{36})"/)?.[1] ?? out.match(/"database_id":\s*"([0-9a-f-]{36})"/)?.[1];
  if (!id) throw new Error(`Could not read the new database_id of ${name}: set it in wrangler.toml by hand (npx wrangler d1 list).`);
  toml = toml.replace(`database_id = "${databaseId}"`, `database_id = "${id}"`);
  writeFileSync("wrangler.toml", toml);
}
// 2. R2 bucket and queues (errors mean they exist already).
run("npx wrangler r2 bucket create switchboard-media", { allowFail: true });
run("npx wrangler queues create switchboard-deliveries", { allowFail: true });
run("npx wrangler queues create switchboard-deliveries-dlq", { allowFail: true });
run("npx wrangler queues create switchboard-webhooks", { allowFail: true });
run("npx wrangler queues create switchboard-webhooks-dlq", { allowFail: true });
// 3. Schema, the same in every database.
for (const binding of d1Bindings()) run(`npx wrangler d1 migrations apply ${binding} --remote`);
// 4. Secrets: taken from the environment when set, otherwise wrangler prompts.
for (const name of ["SECRET_KEY", "PLATFORM_API_KEY"]) {
  if (process.env[name]) run(`printf %s "$${name}" | npx wrangler secret put ${name}`);
  else console.log(`\nSet ${name} once with: npx wrangler secret put ${name}`);
}
// 5. The web inbox (ui/dist, served as Workers Static Assets), then the Worker, its Durable
// Object class and queue consumers.
run("npx vite build ui");
console.log(run("npx wrangler deploy"));
