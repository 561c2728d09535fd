// Local settings for the npm scripts: the environment first, then `.dev.vars`, then a default.
import { existsSync, readFileSync } from "node:fs";

const fileVars = existsSync(".dev.vars")
  ? Object.fromEntries(
      readFileSync(".dev.vars", "utf8")
        .split("\n")
        .filter((line) => /^\s*[A-Z_]+\s*=/.test(line))
        .map((line) => [line.slice(0, line.indexOf("=")).trim(), line.slice(line.indexOf("=") + 1).trim()]),
    )
  : {};

export const setting = (name, fallback) => process.env[name] ?? fileVars[name] ?? fallback;
