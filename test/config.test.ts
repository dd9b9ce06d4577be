import { describe, expect, it } from "vitest";
import { ConfigError, cacheBudget, loadConfig } from "../src/config.ts";

describe("loadConfig", () => {
  it("gives the documented defaults for an empty environment", () => {
    const c = loadConfig({});
    expect(c.port).toBe(8787);
    expect(c.dataDir).toBe("./data");
    expect(c.databaseUrl).toBeUndefined();
    expect(c.defaultLocale).toBe("fi");
    expect(c.timezone).toBe("Europe/Helsinki");
    expect(c.publicUrl).toBe("http://localhost:8787");
    expect(c.seed).toBe("demo");
    expect(c.demoPassword).toBe("kuntakalenteri-demo");
  });

  it("treats empty strings as unset and strips a trailing slash from PUBLIC_URL", () => {
    const c = loadConfig({ PORT: "", PUBLIC_URL: "https://tapahtumat.example.fi/" });
    expect(c.port).toBe(8787);
    expect(c.publicUrl).toBe("https://tapahtumat.example.fi");
  });

  it.each([
    ["PORT", "eighty"],
    ["PORT", "70000"],
    ["DATABASE_URL", "mysql://localhost/db"],
    ["DEFAULT_LOCALE", "de"],
    ["TIMEZONE", "Mars/Olympus_Mons"],
    ["SESSION_SECRET", "short"],
    ["SMTP_URL", "http://mail"],
    ["SEED", "lots"],
    ["TRUST_PROXY", "maybe"],
    ["RESPONSE_CACHE_MB", "lots"],
    ["FEED_CACHE_MB", "0"],
  ])("fails fast naming %s when it is %j", (variable, value) => {
    try {
      loadConfig({ [variable]: value });
      expect.unreachable("loadConfig should have thrown");
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      expect((err as ConfigError).issues.map((i) => i.variable)).toContain(variable);
      expect((err as Error).message).toContain(variable);
    }
  });

  it("requires SESSION_SECRET in production", () => {
    expect(() => loadConfig({ NODE_ENV: "production" })).toThrow(/SESSION_SECRET/);
    expect(loadConfig({ NODE_ENV: "production", SESSION_SECRET: "x".repeat(40) }).env).toBe("production");
  });

  it("sizes the caches by database unless told: smaller beside the embedded PGlite", () => {
    const MB = 1024 * 1024;
    expect(cacheBudget(loadConfig({}), "pglite")).toEqual({ responseBytes: 12 * MB, feedBytes: 12 * MB });
    expect(cacheBudget(loadConfig({}), "postgres")).toEqual({ responseBytes: 32 * MB, feedBytes: 64 * MB });
    const set = loadConfig({ RESPONSE_CACHE_MB: "100", FEED_CACHE_MB: "2" });
    expect(cacheBudget(set, "pglite")).toEqual({ responseBytes: 100 * MB, feedBytes: 2 * MB });
    expect(cacheBudget(set, "postgres")).toEqual({ responseBytes: 100 * MB, feedBytes: 2 * MB });
  });
});
