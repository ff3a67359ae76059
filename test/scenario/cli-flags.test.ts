/** The loader's command-line flags end to end: what `run` and `compare` refuse, with exit 2 and one message. */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { repoRoot, runKubetwin } from "../kubetwin-cli.ts";

const dir = mkdtempSync(join(tmpdir(), "kubetwin-flags-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const kubetwin = (...args: string[]) => runKubetwin(args, { cwd: dir });

const scenario = (file: string, extra = "") => `apiVersion: kubetwin/v1
kind: Scenario
metadata: {name: flags}
spec:
  duration: 2m
  cluster:
    nodePools:
      - {name: p, count: 2, allocatable: {cpu: "4", memory: 8Gi}}
  workloads:
    - file: ${file}
${extra}`;

const app = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: c, resources: {requests: {cpu: 100m}}}]}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: web}
data: {mode: fast}
---
`;

describe("--strict on run and compare", () => {
  writeFileSync(join(dir, "app.yaml"), app);
  writeFileSync(join(dir, "s.yaml"), scenario("app.yaml", "  variants:\n    other: {parameters: {watchLatency: 50ms}}\n"));

  it("without it the ConfigMap is a warning and the run goes on", () => {
    const r = kubetwin("run", "s.yaml", "--no-db");
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("warning: app.yaml: not modelled yet, ignored: ConfigMap web");
  });

  it("with it, run and compare exit 2 naming the object, and write nothing", () => {
    for (const args of [["run", "s.yaml", "--strict", "--db", "strict.db"], ["compare", "s.yaml", "--variants", "baseline,other", "--seeds", "1", "--strict", "--db", "strict.db"]]) {
      const r = kubetwin(...args);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe("");
      expect(r.stderr).toBe("kubetwin: app.yaml:12:7: documents[1].kind: ConfigMap web: this kind is not modelled by the twin (--strict refuses what would otherwise be ignored with a warning)\n");
    }
    expect(spawnSync("ls", [dir], { encoding: "utf8" }).stdout).not.toContain("strict.db");
  });
});

describe("--allow-outside-paths on run and compare", () => {
  it("a manifest beside the scenario's folder is refused with exit 2, and read with the flag", () => {
    const inner = join(dir, "inner");
    spawnSync("mkdir", ["-p", inner]);
    writeFileSync(join(inner, "s.yaml"), scenario("../app.yaml", "  variants:\n    other: {parameters: {watchLatency: 50ms}}\n"));
    const refused = kubetwin("run", "inner/s.yaml", "--no-db");
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/^kubetwin: inner\/s\.yaml:10:13: spec\.workloads\[0\]\.file: app\.yaml is outside the scenario's folder/);
    expect(kubetwin("run", "inner/s.yaml", "--no-db", "--allow-outside-paths").code).toBe(0);
    expect(kubetwin("compare", "inner/s.yaml", "--variants", "baseline,other", "--seeds", "1", "--workers", "1").code).toBe(2);
    const allowed = kubetwin("compare", "inner/s.yaml", "--variants", "baseline,other", "--seeds", "1", "--workers", "1", "--allow-outside-paths", "--limit", "nodes=6000", "--json");
    expect(allowed.code).toBe(0);
    // The reproduce commands repeat what loading needed, so that each of them works.
    const command = (JSON.parse(allowed.stdout) as { command: Record<string, string> }).command["other@1"];
    expect(command).toBe("npx kubetwin run inner/s.yaml --seed 1 --variant other --allow-outside-paths --limit nodes=6000");
    expect(kubetwin(...(command as string).split(" ").slice(2), "--no-db").code).toBe(0);
  });
});

describe("scenario text reaches the terminal escaped", () => {
  it("a warning naming an ignored object, and a fault label, holding ANSI, OSC and bidi sequences", () => {
    writeFileSync(join(dir, "ansi.yaml"), `${app}apiVersion: v1\nkind: ConfigMap\nmetadata: {name: "\\e]0;pwned\\a\\e[2Jx"}\n`);
    writeFileSync(join(dir, "ansi-s.yaml"), scenario("ansi.yaml", '  faults:\n    - {at: 1m, type: PodKill, selector: {app: web}, count: 1, label: "\\e[31mkill\\u202e"}\n'));
    const r = kubetwin("run", "ansi-s.yaml", "--no-db");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("ConfigMap \\x1b]0;pwned\\x07\\x1b[2Jx");
    expect(r.stdout).toContain("\\x1b[31mkill\\u202e");
    expect(r.stdout + r.stderr).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202e]/);
  });
});

describe("bounds through the command line: exit 2, one line, nothing written", () => {
  it("a FIFO as scenario, /dev/zero or a directory as explain input", () => {
    spawnSync("mkfifo", [join(dir, "pipe.yaml")]);
    // Nobody writes to the FIFO: a reader that opened it would wait forever (the spawn's timeout would end the test as failed).
    const fifo = kubetwin("run", "pipe.yaml", "--db", "never.db");
    expect(fifo).toMatchObject({ code: 2, stdout: "" });
    expect(fifo.stderr).toBe("kubetwin: pipe.yaml: cannot read scenario file: not a regular file (pipe.yaml is a FIFO); only regular files are read\n");
    expect(kubetwin("explain", "schedule", "--input", "/dev/zero")).toMatchObject({ code: 2, stderr: "kubetwin: /dev/zero: not a regular file (/dev/zero is a character device); only regular files are read\n" });
    expect(kubetwin("explain", "schedule", "--input", ".")).toMatchObject({ code: 2, stderr: "kubetwin: .: it is a directory (.)\n" });
    expect(kubetwin("run", ".", "--no-db")).toMatchObject({ code: 2, stderr: "kubetwin: .: cannot read scenario file: it is a directory (.)\n" });
    expect(spawnSync("ls", [dir], { encoding: "utf8" }).stdout).not.toContain("never.db");
  });

  it("a run of 99999999h and a scale-up to 10 million replicas are refused with the limit named; --limit is checked", () => {
    writeFileSync(join(dir, "long.yaml"), scenario("app.yaml").replace("duration: 2m", "duration: 99999999h"));
    expect(kubetwin("run", "long.yaml", "--no-db")).toMatchObject({
      code: 2, stdout: "", stderr: "kubetwin: long.yaml:5:13: spec.duration: too long: the run lasts 99999999h; the limit is 720h of virtual time (raise it with --limit duration=…)\n",
    });
    writeFileSync(join(dir, "scale.yaml"), scenario("app.yaml", "  faults:\n    - {at: 1m, type: ScaleWorkload, name: web, replicas: 10000000}\n"));
    const scale = kubetwin("compare", "scale.yaml", "--variants", "baseline,baseline2", "--seeds", "1");
    expect(scale.code).toBe(2);
    expect(scale.stderr).toMatch(/too many replicas: 10000000/);
    expect(kubetwin("run", "scale.yaml", "--no-db").stderr).toMatch(/spec\.faults\[0\]\.replicas: too many replicas: 10000000; the limit is 100000 per workload \(raise it with --limit replicas=…\)\n$/);
    expect(kubetwin("run", "scale.yaml", "--no-db", "--limit", "replica=5")).toMatchObject({ code: 2, stderr: "kubetwin: --limit replica=5: expected NAME=VALUE with NAME one of file-bytes, replicas, pods, nodes, duration, events\n" });
    expect(kubetwin("run", "s.yaml", "--no-db", "--limit", "replicas=200", "--limit", "pods=300")).toMatchObject({ code: 0 });
  });

  it("an explain input larger than file-bytes is refused naming the limit; a raised limit reads it", () => {
    const input = join(repoRoot, "test/fixtures/explain/web-replica.json");
    const refused = kubetwin("explain", "schedule", "--input", input, "--limit", "file-bytes=1Ki");
    expect(refused).toMatchObject({ code: 2, stdout: "" });
    expect(refused.stderr).toMatch(/^kubetwin: \S+web-replica\.json: too large \(\d+ bytes\): the limit is 1Ki \(raise it with --limit file-bytes=…\)\n$/);
    expect(kubetwin("explain", "schedule", "--input", input, "--limit", "file-bytes=1Mi").code).toBe(0);
  });

  it("a run that reaches the events limit stops (exit 3), naming the limit and the flag that raises it", () => {
    const r = kubetwin("run", "s.yaml", "--db", "events.db", "--limit", "events=200");
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/^kubetwin: INVARIANT BROKEN: runaway run: reached stepsMax \(200 engine steps\) at \d+ ms of virtual time: the events limit \(raise it with --limit events=…\)\n/);
    expect(r.stderr).toMatch(/logged: run 1 in events\.db marked failed, \d+ records kept/);
    expect(r.stderr).toContain("reproduce with: npx kubetwin run s.yaml --seed 1 --variant baseline --limit events=200\n");
    expect(kubetwin("run", "s.yaml", "--no-db", "--limit", "events=1000000").code).toBe(0);
  });
});
