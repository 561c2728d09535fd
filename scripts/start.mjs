// `npm start`: the web inbox's build (ui/ into ui/dist), local D1 migrations, `wrangler dev`
// with local D1/R2/DO/Queues, then a bootstrap (first run only) of a workspace, a sandbox
// inbox and an admin user.
import { spawn, spawnSync } from "node:child_process";
import { d1Bindings } from "./d1-bindings.mjs";
import { setting } from "./settings.mjs";

const port = setting("PORT", "8787");
const vars = {
  PLATFORM_API_KEY: setting("PLATFORM_API_KEY", "dev-platform-key"),
  SECRET_KEY: setting("SECRET_KEY", "dev-secret-key-change-me-0123456789abcdef"),
  API_HOSTS: ["localhost", "127.0.0.1", setting("API_HOSTS", "")].filter(Boolean).join(","),
  PUBLIC_BASE_URL: setting("PUBLIC_BASE_URL", `http://127.0.0.1:${port}`),
  // Subscribers and rule engines on this machine (http, loopback) are allowed locally only.
  WEBHOOK_LOCAL_URLS: "true",
  ...Object.fromEntries(
    ["WEBHOOK_TIMEOUT_MS", "WEBHOOK_RETRY_DELAYS"].flatMap((name) => (setting(name, "") ? [[name, setting(name, "")]] : [])),
  ),
};
const admin = { username: setting("ADMIN_USERNAME", "admin"), password: setting("ADMIN_PASSWORD", "admin-password-1") };
const base = `http://127.0.0.1:${port}`;
// Another state directory than .wrangler/state (the browser tests start from an empty one).
const persist = setting("PERSIST_TO", "");
const persistArgs = persist ? ["--persist-to", persist] : [];

// SKIP_UI_BUILD=1: ui/dist is already built (the test script builds it once for every run).
if (setting("SKIP_UI_BUILD", "") !== "1") {
  const build = spawnSync("npx", ["vite", "build", "ui"], { stdio: "inherit" });
  if (build.status !== 0) process.exit(build.status ?? 1);
}

for (const binding of d1Bindings()) {
  const migrate = spawnSync("npx", ["wrangler", "d1", "migrations", "apply", binding, "--local", ...persistArgs], {
    stdio: "inherit",
    env: { ...process.env, CI: "1" },
  });
  if (migrate.status !== 0) process.exit(migrate.status ?? 1);
}

const varArgs = Object.entries(vars).flatMap(([k, v]) => ["--var", `${k}:${v}`]);
// No telemetry or update checks: the local product needs no network.
const quiet = { ...process.env, WRANGLER_SEND_METRICS: "false" };
const inspector = setting("INSPECTOR_PORT", "");
const devArgs = ["--ip", "127.0.0.1", "--port", port, ...persistArgs, ...(inspector ? ["--inspector-port", inspector] : []), ...varArgs];
const dev = spawn("npx", ["wrangler", "dev", ...devArgs], { stdio: "inherit", env: quiet });
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => dev.kill(signal));
dev.on("exit", (code) => process.exit(code ?? 0));

const platform = (path, body) =>
  fetch(`${base}/platform/v1${path}`, {
    method: body ? "POST" : "GET",
    headers: { authorization: `Bearer ${vars.PLATFORM_API_KEY}`, "content-type": "application/json" },
    body: body && JSON.stringify(body),
  }).then(async (r) => ({ status: r.status, body: await r.json() }));

async function bootstrap() {
  for (let i = 0; i < 120; i++) {
    try {
      const existing = await platform("/workspaces?limit=1");
      if (existing.status !== 200) throw new Error(JSON.stringify(existing.body));
      if (existing.body.count > 0)
        return console.log(`\nSwitchboard is up: the web inbox at ${base}/, the API at ${base}/api/v1/ (existing data kept).\n`);
      const ws = await platform("/workspaces", { name: "Local" });
      const inbox = await platform(`/workspaces/${ws.body.id}/inboxes`, {
        name: "Sandbox",
        provider: "sandbox",
        phone_number: "+15550100001",
        config: { app_secret: "sandbox-app-secret", verify_token: "sandbox-verify-token" },
      });
      const user = await platform(`/workspaces/${ws.body.id}/users`, { ...admin, email: `${admin.username}@example.com`, role: "admin" });
      if (user.status !== 201) throw new Error(`admin user: ${JSON.stringify(user.body)}`);
      const token = await fetch(`${base}/api/v1/auth/token/`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(admin),
      }).then((r) => r.json());
      console.log(`\nSwitchboard is up: the web inbox at ${base}/, the API at ${base}/api/v1/
  workspace ${ws.body.id}, sandbox inbox ${inbox.body.id}
  admin "${admin.username}" / "${admin.password}", token ${token.token}
  try: curl -H "Authorization: Token ${token.token}" ${base}/api/v1/users/current/\n`);
      return;
    } catch (e) {
      if (i === 119) throw e;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}
bootstrap().catch((e) => {
  console.error("bootstrap failed:", e);
  dev.kill();
  process.exit(1);
});
