/** The operations settings (#22): backups and metrics, validated like every other variable. */
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../src/config.ts";

describe("operations configuration", () => {
  it("defaults: backups into ./backups, none scheduled, seven kept; metrics off", () => {
    const c = loadConfig({});
    expect(c.backup).toEqual({ dir: "./backups", intervalMs: undefined, keep: 7 });
    expect(c.metrics).toEqual({ token: undefined, host: "127.0.0.1", port: undefined });
  });

  it("reads BACKUP_INTERVAL with a unit, BACKUP_KEEP, METRICS_TOKEN and METRICS_PORT", () => {
    const c = loadConfig({
      BACKUP_INTERVAL: "6h",
      BACKUP_KEEP: "14",
      BACKUP_DIR: "/srv/backups",
      METRICS_TOKEN: "0123456789abcdef",
      METRICS_PORT: "9464",
    });
    expect(c.backup).toEqual({ dir: "/srv/backups", intervalMs: 6 * 3_600_000, keep: 14 });
    expect(c.metrics).toEqual({ token: "0123456789abcdef", host: "127.0.0.1", port: 9464 });
    expect(loadConfig({ BACKUP_INTERVAL: "1d" }).backup.intervalMs).toBe(86_400_000);
  });

  it("names the variable when a value is wrong", () => {
    for (const [variable, value] of [
      ["BACKUP_INTERVAL", "6"],
      ["BACKUP_INTERVAL", "5s"],
      ["BACKUP_KEEP", "0"],
      ["METRICS_TOKEN", "short"],
      ["METRICS_PORT", "70000"],
    ] as const) {
      const err = (() => {
        try {
          loadConfig({ [variable]: value });
        } catch (e) {
          return e;
        }
      })();
      expect(err, `${variable}=${value}`).toBeInstanceOf(ConfigError);
      expect((err as ConfigError).issues.map((i) => i.variable)).toContain(variable);
    }
  });
});
