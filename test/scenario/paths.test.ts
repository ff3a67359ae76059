/**
 * Manifest paths stay inside the scenario's folder tree (after following symlinks) unless the user
 * allows otherwise; errors never quote a file that is not a manifest; printed errors carry no
 * control characters.
 */
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { formatScenarioError, loadScenarioFile } from "../../src/scenario/load.ts";
import type { LoadOptions, LoadResult } from "../../src/scenario/load.ts";
import { terminalSafe } from "../../src/scenario/terminal-text.ts";
import { loadText, validScenario } from "./helpers.ts";

const scenario = (file: string) => `apiVersion: kubetwin/v1
kind: Scenario
metadata: {name: paths}
spec:
  duration: 10m
  cluster:
    nodePools:
      - {name: p, count: 1, allocatable: {cpu: "2", memory: 4Gi}}
  workloads:
    - file: ${JSON.stringify(file)}
`;

const deployment = (name: string) =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: ${name}}\nspec:\n  selector: {matchLabels: {app: ${name}}}\n  template:\n    metadata: {labels: {app: ${name}}}\n    spec: {containers: [{name: c}]}\n`;

/** root/ holds the scenario; outside/ is beside it. */
function layout(): { root: string; outside: string; load: (file: string, options?: LoadOptions) => LoadResult } {
  const top = mkdtempSync(join(tmpdir(), "kubetwin-paths-"));
  const root = join(top, "root");
  const outside = join(top, "outside");
  mkdirSync(join(root, "apps"), { recursive: true });
  mkdirSync(outside);
  writeFileSync(join(root, "apps/web.yaml"), deployment("web"));
  writeFileSync(join(outside, "secret.yaml"), deployment("secret"));
  symlinkSync("../outside/secret.yaml", join(root, "link.yaml"));
  symlinkSync("../outside", join(root, "linkdir"));
  symlinkSync("web.yaml", join(root, "apps/alias.yaml"));
  return {
    root,
    outside,
    load: (file, options = {}) => {
      writeFileSync(join(root, "s.yaml"), scenario(file));
      return loadScenarioFile(join(root, "s.yaml"), options);
    },
  };
}

function message(result: LoadResult): string {
  if (result.ok) throw new Error("expected an error, the scenario loaded");
  expect(result.error.path).toBe("spec.workloads[0].file");
  return result.error.message;
}

function names(result: LoadResult): string[] {
  if (!result.ok) throw new Error(result.error.message);
  return result.plan.workloads.map((w) => w.object.metadata.name);
}

describe("workloads[].file stays inside the scenario's folder tree", () => {
  it("relative paths inside the tree load, with .. that stays inside and symlinks that point inside", () => {
    const { load } = layout();
    expect(names(load("apps/web.yaml"))).toEqual(["web"]);
    expect(names(load("apps/../apps/web.yaml"))).toEqual(["web"]);
    expect(names(load("apps/alias.yaml"))).toEqual(["web"]);
  });

  it("a .. escape, an absolute path, a symlinked file or directory pointing out: refused, naming the way out", () => {
    const { load, outside } = layout();
    expect(message(load("../outside/secret.yaml"))).toMatch(/outside\/secret\.yaml is outside the scenario's folder \(after following symlinks\).*--allow-outside-paths/);
    expect(message(load(join(outside, "secret.yaml")))).toBe(`absolute path ${join(outside, "secret.yaml")} refused: write it relative to the scenario file (or pass --allow-outside-paths)`);
    expect(message(load("link.yaml"))).toMatch(/link\.yaml is outside the scenario's folder/);
    expect(message(load("linkdir/secret.yaml"))).toMatch(/linkdir\/secret\.yaml is outside the scenario's folder/);
    expect(message(load("linkdir"))).toMatch(/linkdir is outside the scenario's folder/);
  });

  it("inside a directory or a kustomization, entries that point out are refused too", () => {
    const { load, root } = layout();
    mkdirSync(join(root, "set"));
    writeFileSync(join(root, "set/a.yaml"), deployment("a"));
    symlinkSync("../../outside/secret.yaml", join(root, "set/b.yaml"));
    expect(message(load("set"))).toMatch(/set\/b\.yaml is outside the scenario's folder/);
    mkdirSync(join(root, "kust"));
    writeFileSync(join(root, "kust/kustomization.yaml"), "resources: [../../outside/secret.yaml]\n");
    const k = load("kust");
    if (k.ok) throw new Error("expected an error");
    expect(k.error).toMatchObject({ path: "resources[0]", line: 1 });
    expect(k.error.message).toMatch(/\/outside\/secret\.yaml is outside the scenario's folder/);
  });

  it("--allow-outside-paths lets all of them through", () => {
    const { load, outside } = layout();
    const allow = { allowOutsidePaths: true };
    expect(names(load("../outside/secret.yaml", allow))).toEqual(["secret"]);
    expect(names(load(join(outside, "secret.yaml"), allow))).toEqual(["secret"]);
    expect(names(load("link.yaml", allow))).toEqual(["secret"]);
  });
});

describe("an error never quotes a file that is not a manifest", () => {
  const secret = "hunter2";
  const cases: Record<string, string> = {
    "a passwd-like file": `root:x:0:0:${secret}:/root:/bin/bash\n`,
    "a key = value file": `password = ${secret}\n`,
    "a list": `- ${secret}\n`,
    "a mapping without kind": `token: ${secret}\n`,
    "a YAML tag error": `!${secret} {a: 1}\n`,
    "a block scalar header error": `a: |${secret}\n  x\n`,
    "a bad escape": `a: "\\q${secret}"\n`,
  };
  for (const [what, text] of Object.entries(cases)) {
    it(what, () => {
      const result = loadText(validScenario, { "apps/web.yaml": text });
      if (result.ok) throw new Error("expected an error");
      expect(formatScenarioError(result.error)).not.toContain(secret);
    });
  }

  it("nor a scenario file that is no scenario at all (kubetwin run on the wrong file)", () => {
    for (const text of [`root:x:0:0:${secret}:/root\n`, `password: ${secret}\nuser: admin\n`, `- ${secret}\n`]) {
      const result = loadText(text);
      if (result.ok) throw new Error("expected an error");
      expect(result.error.message).toMatch(/^not a kubetwin Scenario: expected a mapping with apiVersion kubetwin\/v1 and kind Scenario, found (a string|a mapping without apiVersion or kind|a list)$/);
      expect(formatScenarioError(result.error)).not.toContain(secret);
    }
  });

  it("binary content is refused as not text, before parsing", () => {
    const { load, root } = layout();
    writeFileSync(join(root, "apps/blob.yaml"), Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 1, 2]));
    expect(message(load("apps/blob.yaml"))).toMatch(/: not a text file \(it holds NUL bytes\)$/);
    writeFileSync(join(root, "apps/latin1.yaml"), Buffer.from([0x6b, 0x69, 0x6e, 0x64, 0x3a, 0x20, 0xe9, 0x0a]));
    expect(message(load("apps/latin1.yaml"))).toMatch(/: not a text file \(it is not valid UTF-8\)$/);
  });
});

describe("scenario text printed to a terminal has its control characters escaped", () => {
  it("the helper escapes C0, DEL, C1 and bidi overrides, and nothing else", () => {
    expect(terminalSafe("a\u001b[31mred\u001b]0;title\u0007\u009b2J\u007f\u202eb ok é 日本")).toBe("a\\x1b[31mred\\x1b]0;title\\x07\\x9b2J\\x7f\\u202eb ok é 日本");
  });

  it("an unknown field whose key holds an ANSI sequence, a manifest path holding one", () => {
    const withKey = validScenario.replace("  seed: 3\n", '  seed: 3\n  "\\e[2J\\e]0;pwned\\a": 1\n');
    const result = loadText(withKey);
    if (result.ok) throw new Error("expected an error");
    const line = formatScenarioError(result.error);
    expect(line).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
    expect(line).toContain("\\x1b[2J");
    const path = loadText(validScenario.replace("file: apps/web.yaml", 'file: "apps/\\e[31mweb.yaml"'));
    if (path.ok) throw new Error("expected an error");
    expect(formatScenarioError(path.error)).not.toMatch(/[\u0000-\u001f]/);
  });
});
