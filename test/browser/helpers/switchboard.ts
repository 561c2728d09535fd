import { spawn } from "node:child_process";
import { createServer } from "node:net";

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (address && typeof address === "object" ? resolve(address.port) : reject(new Error("no port"))));
    });
  });

/** Credentials `npm start` bootstraps (its defaults) and the platform key this run passes it. */
export const ADMIN = { username: "admin", password: "admin-password-1" };
const PLATFORM_API_KEY = "browser-test-platform-key-0123";

/**
 * `npm start` itself (scripts/start.mjs: migrations, `wrangler dev`, bootstrap) on a free
 * port and an empty state directory; ready when it prints that Switchboard is up.
 */
export async function startSwitchboard(persistTo: string) {
  const [port, inspector] = [await freePort(), await freePort()];
  const child = spawn(process.execPath, ["scripts/start.mjs"], {
    env: {
      ...process.env,
      PORT: String(port),
      INSPECTOR_PORT: String(inspector),
      PERSIST_TO: persistTo,
      SKIP_UI_BUILD: "1",
      PLATFORM_API_KEY,
    },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  let output = "";
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once("exit", () => resolve());
      process.kill(-child.pid!, "SIGTERM");
    });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`npm start did not come up within 150 s:\n${output.slice(-4000)}`)), 150_000);
    const read = (chunk: Buffer) => {
      output += chunk;
      if (output.includes("Switchboard is up")) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on("data", read);
    child.stderr?.on("data", read);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`npm start exited (${code}):\n${output.slice(-4000)}`));
    });
  });
  return { base: `http://127.0.0.1:${port}`, platformKey: PLATFORM_API_KEY, stop };
}
