import { describe, expect, it } from "vitest";
import {
  hashPassword,
  needsRehash,
  PBKDF2_ITERATIONS,
  passwordProblems,
  verifyPassword,
  WORKERS_PBKDF2_MAX_ITERATIONS,
} from "../../src/services/passwords";

describe("password hashing", () => {
  it("stays inside production Workers' PBKDF2 cap (100,000), which local workerd does not enforce", () => {
    expect(WORKERS_PBKDF2_MAX_ITERATIONS).toBe(100_000);
    expect(PBKDF2_ITERATIONS).toBeLessThanOrEqual(WORKERS_PBKDF2_MAX_ITERATIONS);
    // As close to OWASP's advice (600,000) as the platform allows.
    expect(PBKDF2_ITERATIONS).toBe(100_000);
  });

  it("stores scheme, iterations and salt with each hash, Django-style, and verifies it", async () => {
    const hash = await hashPassword("correct horse");
    expect(hash).toMatch(/^pbkdf2_sha256\$100000\$[0-9a-f]{32}\$[A-Za-z0-9+/]{43}=$/);
    expect(await verifyPassword("correct horse", hash)).toBe(true);
    expect(await verifyPassword("correct horsf", hash)).toBe(false);
    expect(await hashPassword("correct horse")).not.toBe(hash);
    expect(needsRehash(hash)).toBe(false);
    expect(needsRehash(hash.replace("$100000$", "$50000$"))).toBe(true);
  });

  it("refuses hashes it must not compute (unknown scheme, iterations above the cap) and missing hashes", async () => {
    const hash = await hashPassword("pw-pw-pw-pw");
    expect(await verifyPassword("pw-pw-pw-pw", hash.replace("$100000$", "$600000$"))).toBe(false);
    expect(await verifyPassword("pw-pw-pw-pw", hash.replace("pbkdf2_sha256", "md5"))).toBe(false);
    expect(await verifyPassword("pw-pw-pw-pw", null)).toBe(false);
  });

  it("applies Django's basic validators", () => {
    expect(passwordProblems("short")).toContain("This password is too short. It must contain at least 8 characters.");
    expect(passwordProblems("12345678")).toContain("This password is entirely numeric.");
    expect(passwordProblems("PeterRabbit", "peterrabbit")).toContain("The password is too similar to the username.");
    expect(passwordProblems("a-good-password", "peter")).toEqual([]);
  });
});
