/**
 * The layout's rules (DESIGN.md), checked by reading every source file's imports: the core never
 * imports an edge, only one file imports better-sqlite3, nothing imports the CLI, no cycles, and
 * the core reads no clock, draws no Math.random and never awaits; the Kubernetes codec (k8s) is
 * as pure and imports only model and effect.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, test } from "vitest";

const root = resolve(import.meta.dirname, "..");
const src = join(root, "src");

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return walk(path);
    return /\.(ts|js|mjs)$/.test(name) ? [path] : [];
  });
}

interface SourceFile {
  path: string; // relative to repo root, e.g. src/sim/world.ts
  layer: string; // model | raft | policies | sim | k8s | scenario | live | report | cli
  imports: string[]; // resolved relative paths, or bare package names
  code: string; // without comments and string contents
}

function stripCommentsAndStrings(text: string): string {
  return text
    .replace(/\/\*[\s\S]*?\*\//g, "")
    .replace(/(^|[^:])\/\/.*$/gm, "$1")
    .replace(/`(?:\\[\s\S]|[^`\\])*`/g, "``")
    .replace(/"(?:\\.|[^"\\\n])*"/g, '""')
    .replace(/'(?:\\.|[^'\\\n])*'/g, "''");
}

function parse(path: string): SourceFile {
  const text = readFileSync(path, "utf8");
  const rel = relative(root, path);
  const specs = [
    ...text.matchAll(/^\s*(?:import|export)\s[^;]*?from\s+["']([^"']+)["']/gms),
    ...text.matchAll(/^\s*import\s+["']([^"']+)["']/gm),
    ...text.matchAll(/\bimport\(\s*["']([^"']+)["']\s*\)/g),
    ...text.matchAll(/new URL\(\s*["'](\.[^"']+)["']\s*,\s*import\.meta\.url\s*\)/g),
  ].map((m) => m[1] as string);
  const imports = specs.map((s) => (s.startsWith(".") ? relative(root, resolve(dirname(path), s)) : s));
  return { path: rel, layer: rel.split("/")[1] as string, imports, code: stripCommentsAndStrings(text) };
}

const files = walk(src).map(parse);
const layerOf = (p: string) => (p.startsWith("src/") ? (p.split("/")[1] as string) : undefined);
const core = new Set(["model", "raft", "policies", "sim"]);

/**
 * What each layer may import: layers (src/<layer>) and packages. `cli` composes everything and has
 * no rule; a layer missing from this table is itself a violation (a new layer states its rule).
 */
interface LayerRule {
  layers: string[];
  packages: (string | RegExp)[];
  /** Packages only one named file of the layer may import. */
  packagesOf?: Record<string, string[]>;
}
const nodeBuiltin = /^node:/;
const rules: Record<string, LayerRule> = {
  model: { layers: ["model"], packages: [] },
  raft: { layers: ["model", "raft"], packages: [] },
  policies: { layers: ["model", "policies"], packages: [] },
  sim: { layers: ["model", "raft", "policies", "sim", "log"], packages: [] },
  log: {
    layers: ["model", "log"],
    packages: ["effect"],
    // the files that touch the machine: the database, the --db file's header, who writes and who locks
    packagesOf: {
      "src/log/sqlite-log.ts": ["better-sqlite3", "node:fs"],
      "src/log/log-file.ts": ["node:fs"],
      "src/log/writer-identity.ts": ["node:fs", "node:os"],
      "src/log/lock-holders.ts": ["node:fs"],
    },
  },
  k8s: { layers: ["model", "k8s"], packages: ["effect"] },
  scenario: { layers: ["model", "k8s", "policies", "sim", "scenario"], packages: ["effect", "yaml", "csv-parse/sync", "node:fs", "node:path"] },
  report: { layers: ["model", "log", "report"], packages: ["uplot", nodeBuiltin] },
  live: { layers: ["model", "k8s", "policies", "log", "live"], packages: ["effect", "@kubernetes/client-node", nodeBuiltin] },
  // recordings of other tools → scenarios: pure (the CLI reads the files), through the codec and the scenario's own helpers
  import: { layers: ["model", "k8s", "scenario", "import"], packages: ["effect", "yaml", "@msgpack/msgpack"] },
};

/** Every import that breaks its layer's rule, as "file imports what". */
function ruleViolations(sources: Pick<SourceFile, "path" | "layer" | "imports">[]): string[] {
  const violations: string[] = [];
  for (const f of sources) {
    if (f.layer === "cli") continue;
    const rule = rules[f.layer];
    if (!rule) {
      violations.push(`${f.path}: layer "${f.layer}" has no rule`);
      continue;
    }
    const own = rule.packagesOf?.[f.path] ?? [];
    for (const i of f.imports) {
      const layer = layerOf(i);
      const ok = layer !== undefined ? rule.layers.includes(layer) : own.includes(i) || rule.packages.some((p) => (typeof p === "string" ? p === i : p.test(i)));
      if (!ok) violations.push(`${f.path} imports ${i}`);
    }
  }
  return violations;
}

describe("boundaries", () => {
  test("there are sources to check", () => {
    expect(files.length).toBeGreaterThan(30);
    expect(files.some((f) => f.layer === "model")).toBe(true);
  });

  test("every layer imports only what its rule allows (core: the layers below it and no packages)", () => {
    expect(ruleViolations(files)).toEqual([]);
  });

  test("the rules catch what they forbid (fixture of broken imports)", () => {
    const broken = [
      { path: "src/report/x.ts", layer: "report", imports: ["src/sim/world.ts"] },
      { path: "src/scenario/x.ts", layer: "scenario", imports: ["src/cli/main.ts"] },
      { path: "src/live/x.ts", layer: "live", imports: ["src/raft/raw-node.ts"] },
      { path: "src/sim/x.ts", layer: "sim", imports: ["better-sqlite3"] },
      { path: "src/log/record.ts", layer: "log", imports: ["node:fs"] },
      { path: "src/policies/x.ts", layer: "policies", imports: ["src/sim/engine.ts"] },
      { path: "src/model/x.ts", layer: "model", imports: ["effect"] },
      { path: "src/newlayer/x.ts", layer: "newlayer", imports: [] },
      { path: "src/log/sqlite-log.ts", layer: "log", imports: ["better-sqlite3"] },
      { path: "src/cli/x.ts", layer: "cli", imports: ["src/sim/world.ts", "better-sqlite3"] },
    ];
    expect(ruleViolations(broken)).toEqual([
      "src/report/x.ts imports src/sim/world.ts",
      "src/scenario/x.ts imports src/cli/main.ts",
      "src/live/x.ts imports src/raft/raw-node.ts",
      "src/sim/x.ts imports better-sqlite3",
      "src/log/record.ts imports node:fs",
      "src/policies/x.ts imports src/sim/engine.ts",
      "src/model/x.ts imports effect",
      'src/newlayer/x.ts: layer "newlayer" has no rule',
    ]);
  });

  test("only one file imports better-sqlite3 and at most one imports @kubernetes/client-node", () => {
    expect(files.filter((f) => f.imports.includes("better-sqlite3")).map((f) => f.path)).toEqual(["src/log/sqlite-log.ts"]);
    expect(files.filter((f) => f.imports.some((i) => i.startsWith("@kubernetes/client-node"))).length).toBeLessThanOrEqual(1);
  });

  test("nothing outside the CLI imports the CLI", () => {
    const bad = files.filter((f) => f.layer !== "cli" && f.imports.some((i) => layerOf(i) === "cli")).map((f) => f.path);
    expect(bad).toEqual([]);
  });

  test("the Kubernetes codec (k8s) imports only model and effect; only scenario, import, cli and live import it", () => {
    const violations: string[] = [];
    for (const f of files) {
      if (f.layer !== "k8s") continue;
      for (const i of f.imports) {
        const layer = layerOf(i);
        if (layer === undefined ? i !== "effect" : layer !== "model" && layer !== "k8s") violations.push(`${f.path} imports ${i}`);
      }
    }
    const importers = new Set(["k8s", "scenario", "cli", "live", "import"]);
    for (const f of files) {
      if (!importers.has(f.layer) && f.imports.some((i) => layerOf(i) === "k8s")) violations.push(`${f.path} imports k8s`);
    }
    expect(files.some((f) => f.layer === "k8s")).toBe(true);
    expect(violations).toEqual([]);
  });

  test("live never imports sim or raft", () => {
    const bad = files.filter((f) => f.layer === "live" && f.imports.some((i) => layerOf(i) === "sim" || layerOf(i) === "raft"));
    expect(bad.map((f) => f.path)).toEqual([]);
  });

  test("the import graph has no cycles", () => {
    const graph = new Map(files.map((f) => [f.path, f.imports.filter((i) => i.startsWith("src/"))]));
    const state = new Map<string, "visiting" | "done">();
    const cycles: string[] = [];
    const visit = (node: string, stack: string[]): void => {
      if (state.get(node) === "done") return;
      if (state.get(node) === "visiting") {
        cycles.push([...stack.slice(stack.indexOf(node)), node].join(" → "));
        return;
      }
      state.set(node, "visiting");
      for (const next of graph.get(node) ?? []) visit(next, [...stack, node]);
      state.set(node, "done");
    };
    for (const node of [...graph.keys()].sort()) visit(node, []);
    expect(cycles).toEqual([]);
  });

  test("the core and the codec read no clock, draw no Math.random, never await and touch no process", () => {
    const forbidden = [/\bDate\b/, /\bperformance\b/, /\bMath\.random\b/, /\bsetTimeout\b/, /\bsetInterval\b/, /\bsetImmediate\b/, /\bprocess\.\w/, /\basync\b/, /\bawait\b/, /\bPromise\b/];
    const violations: string[] = [];
    for (const f of files) {
      if (!core.has(f.layer) && f.layer !== "k8s") continue;
      for (const re of forbidden) if (re.test(f.code)) violations.push(`${f.path}: ${re.source}`);
    }
    expect(violations).toEqual([]);
  });
});
