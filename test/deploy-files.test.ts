/**
 * The deployment files (#22) parse and run only what exists: Dockerfile (non-root, Node LTS,
 * `npm ci --omit=dev`, HEALTHCHECK on /healthz, the node arguments of `npm start`),
 * compose.yaml (app + PostgreSQL + volumes), deploy/kuntakalenteri.service (systemd). Every
 * `npm run X` they or docs/operations.md name is a script in package.json. Building the image
 * needs a Docker daemon: not available on the test machine, so `docker build` is not run here.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { startArgs } from "./helpers/server.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const read = (f: string) => readFileSync(join(ROOT, f), "utf8");
const scripts = (JSON.parse(read("package.json")) as { scripts: Record<string, string> }).scripts;
const npmRuns = (text: string) => [...text.matchAll(/npm run ([a-z:-]+)/g)].map((m) => m[1] as string);

describe("deployment files", () => {
  it("Dockerfile: Node LTS, production dependencies, non-root, healthcheck on /healthz, the start command", () => {
    const text = read("Dockerfile").replace(/\\\n/g, " ");
    const lines = text.split("\n").filter((l) => l.trim() && !l.trim().startsWith("#"));
    const instructions = lines.map((l) => l.trim().split(/\s+/)[0]);
    const known = ["FROM", "WORKDIR", "COPY", "RUN", "ENV", "USER", "VOLUME", "EXPOSE", "HEALTHCHECK", "CMD"];
    expect(instructions.filter((i) => !known.includes(i as string))).toEqual([]);
    const froms = lines.filter((l) => l.startsWith("FROM "));
    for (const f of froms) expect(f).toMatch(/^FROM node:(20|22|24)-/); // even majors are the LTS lines
    expect(text).toMatch(/npm ci --omit=dev/);
    const users = lines.filter((l) => l.startsWith("USER "));
    expect(users.at(-1)).toBe("USER node");
    expect(lines.find((l) => l.startsWith("HEALTHCHECK"))).toMatch(/\/healthz/);
    const cmd = JSON.parse(lines.find((l) => l.startsWith("CMD "))?.slice(4) ?? "[]") as string[];
    expect(cmd).toEqual(["node", ...startArgs()]);
    for (const s of npmRuns(text)) expect(scripts, s).toHaveProperty(s);
  });

  it("compose.yaml: the app with PostgreSQL, a volume for the data, healthy database first", () => {
    const compose = parse(read("compose.yaml")) as {
      services: Record<
        string,
        {
          image?: string;
          build?: string;
          environment?: Record<string, string>;
          volumes?: string[];
          depends_on?: Record<string, { condition: string }>;
        }
      >;
      volumes: Record<string, unknown>;
    };
    expect(Object.keys(compose.services).sort()).toEqual(["app", "db"]);
    expect(compose.services.db?.image).toMatch(/^postgres:15/);
    expect(compose.services.db?.volumes).toContain("pgdata:/var/lib/postgresql/data");
    expect(Object.keys(compose.volumes)).toContain("pgdata");
    expect(compose.services.app?.build).toBe(".");
    expect(compose.services.app?.environment?.DATABASE_URL).toMatch(/^postgres:\/\/.*@db:5432\//);
    expect(compose.services.app?.depends_on?.db?.condition).toBe("service_healthy");
    for (const s of npmRuns(read("compose.yaml"))) expect(scripts, s).toHaveProperty(s);
  });

  it("the systemd unit: sections, a non-root user, the start command", () => {
    const unit: Record<string, Record<string, string[]>> = {};
    let section = "";
    for (const raw of read("deploy/kuntakalenteri.service").split("\n")) {
      const line = raw.trim();
      if (!line || line.startsWith("#")) continue;
      const head = /^\[(\w+)\]$/.exec(line);
      if (head) {
        section = head[1] as string;
        unit[section] = {};
        continue;
      }
      const kv = /^([A-Za-z]+)=(.*)$/.exec(line);
      expect(kv, line).not.toBeNull();
      const s = unit[section] as Record<string, string[]>;
      s[kv?.[1] as string] = [...(s[kv?.[1] as string] ?? []), kv?.[2] as string];
    }
    expect(Object.keys(unit)).toEqual(["Unit", "Service", "Install"]);
    expect(unit.Service?.User?.[0]).not.toBe("root");
    expect(unit.Service?.ExecStart?.[0]).toBe(`/usr/bin/node ${startArgs().join(" ")}`);
    expect(unit.Install?.WantedBy).toEqual(["multi-user.target"]);
    for (const s of npmRuns(read("deploy/kuntakalenteri.service"))) expect(scripts, s).toHaveProperty(s);
  });

  it("docs/operations.md names only scripts that exist", () => {
    const named = npmRuns(read("docs/operations.md"));
    expect(named).toContain("backup");
    for (const s of named) expect(scripts, s).toHaveProperty(s);
  });
});
