// The D1 databases wrangler.toml declares (the directory, then the message shards; every one
// gets the same migrations, `src/db/client.ts`), and where `wrangler dev` keeps each locally.
import { createHash, createHmac } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";

export function d1Databases(configPath = new URL("../wrangler.toml", import.meta.url)) {
  const toml = readFileSync(configPath, "utf8");
  return toml
    .split(/^\[\[d1_databases\]\]\s*$/m)
    .slice(1)
    .map((section) => ({
      binding: /^binding\s*=\s*"([^"]+)"/m.exec(section)?.[1],
      name: /^database_name\s*=\s*"([^"]+)"/m.exec(section)?.[1],
      databaseId: /^database_id\s*=\s*"([^"]+)"/m.exec(section)?.[1],
    }))
    .filter((d) => d.binding && d.databaseId);
}

export const d1Bindings = (configPath) => d1Databases(configPath).map((d) => d.binding);

/**
 * The SQLite file of a binding under a `--persist-to` directory. Miniflare names it by the
 * Durable Object id its D1 object derives from the database id (idFromName); checked to exist.
 */
export function localD1File(persistDir, binding) {
  const db = d1Databases().find((d) => d.binding === binding);
  if (!db) throw new Error(`no D1 binding ${binding} in wrangler.toml`);
  const key = createHash("sha256").update("miniflare-D1DatabaseObject").digest();
  const name = createHmac("sha256", key).update(db.databaseId).digest().subarray(0, 16);
  const check = createHmac("sha256", key).update(name).digest().subarray(0, 16);
  const file = join(persistDir, "v3", "d1", "miniflare-D1DatabaseObject", `${Buffer.concat([name, check]).toString("hex")}.sqlite`);
  if (!existsSync(file)) throw new Error(`no local D1 file for ${binding} at ${file} (run the migrations with --persist-to first)`);
  return file;
}
