// Starts `wrangler dev` for scripts and browser tests: a free port, its own state directory,
// no telemetry. Resolves once the Worker answers; `stop()` ends it and its children.
import { spawn } from "node:child_process";
import { mkdirSync } from "node:fs";
import { createServer } from "node:net";
import { d1Bindings } from "./d1-bindings.mjs";

/** A port nothing listens on right now (the OS picks it). */
export const freePort = () =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });

/** Throwaway secrets for local runs (the Worker refuses to start a request without them). */
export const LOCAL_SECRETS = {
  SECRET_KEY: "local-secret-key-0123456789abcdef0123456789",
  PLATFORM_API_KEY: "local-platform-key-0123456789",
};

/**
 * `wrangler dev --port <port> --persist-to <dir>` with the given vars. wrangler refuses a
 * missing `[assets]` directory, so an empty one is made when the UI was never built.
 */
export async function startWorker({ persistTo, vars = {}, port, log = false }) {
  mkdirSync("ui/dist", { recursive: true });
  const listen = port ?? (await freePort());
  const inspector = await freePort();
  const varArgs = Object.entries({ ...LOCAL_SECRETS, ...vars }).flatMap(([k, v]) => ["--var", `${k}:${v}`]);
  const args = ["wrangler", "dev", "--ip", "127.0.0.1", "--port", String(listen), "--inspector-port", String(inspector)];
  const child = spawn("npx", [...args, "--persist-to", persistTo, ...varArgs], {
    stdio: ["ignore", log ? "inherit" : "pipe", log ? "inherit" : "pipe"],
    env: { ...process.env, WRANGLER_SEND_METRICS: "false", CI: "1" },
    detached: true,
  });
  let output = "";
  for (const stream of [child.stdout, child.stderr]) stream?.on("data", (d) => (output = (output + d).slice(-8000)));
  const base = `http://127.0.0.1:${listen}`;
  const stop = () =>
    new Promise((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once("exit", () => resolve());
      // The process group: npx, wrangler and workerd end together.
      process.kill(-child.pid, "SIGTERM");
    });
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`wrangler dev exited (${child.exitCode}):\n${output}`);
    if (output.includes("Build failed")) {
      await stop();
      throw new Error(`wrangler dev could not build the Worker:\n${output}`);
    }
    try {
      await fetch(`${base}/openapi.json`);
      return { base, port: listen, stop, output: () => output };
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  await stop();
  throw new Error(`wrangler dev did not answer within 90 s:\n${output}`);
}

/** D1 migrations of every database into the same state directory `startWorker` will use. */
export async function migrate(persistTo) {
  for (const binding of d1Bindings()) await migrateOne(persistTo, binding);
}

function migrateOne(persistTo, binding) {
  return new Promise((resolve, reject) => {
    const child = spawn("npx", ["wrangler", "d1", "migrations", "apply", binding, "--local", "--persist-to", persistTo], {
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, CI: "1", WRANGLER_SEND_METRICS: "false" },
    });
    let output = "";
    for (const stream of [child.stdout, child.stderr]) stream.on("data", (d) => (output += d));
    child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`migrations failed (${code}):\n${output}`))));
  });
}
