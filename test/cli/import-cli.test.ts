/**
 * `kubetwin import` as a user runs it: every bundled SimKube trace (and SimKube's JSON test
 * fixture) and the KWOK recording fixture become a scenario that `kubetwin run` accepts; the
 * import into a log runs it and compares the pod lifecycles; bad input exits 2 and writes nothing.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { gzipSync } from "node:zlib";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { twinPodLifecycles, type TwinPod } from "../../src/import/twin-pod-lifecycles.ts";
import { decodeRecord } from "../../src/log/record.ts";
import { SqliteLog } from "../../src/log/sqlite-log.ts";
import { repoRoot, runKubetwin, stackFrame } from "../kubetwin-cli.ts";

const dir = mkdtempSync(join(tmpdir(), "kubetwin-import-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const simkube = (f: string) => join(repoRoot, "test/fixtures/simkube", f);
const kwok = join(repoRoot, "test/fixtures/kwok/web-recording.yaml");

describe.each(["bare-pods.sktrace", "cronjob.sktrace", "dsb-scaling.sktrace", "trace.testfixture.json"])("import simkube %s", (file) => {
  const out = join(dir, `${file}.yaml`);

  test("writes a scenario that kubetwin run runs to the end", () => {
    const imported = runKubetwin(["import", "simkube", simkube(file), "-o", out]);
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stdout).toMatch(/: scenario [a-z0-9-]+, /);
    const run = runKubetwin(["run", out, "--no-db", "--json"]);
    expect(run.code, run.stderr).toBe(0);
    const summary = JSON.parse(run.stdout) as { durationMs: number; podsCreated: number };
    expect(summary.podsCreated).toBeGreaterThan(0);
  });
});

function twinPods(db: string): Map<string, TwinPod[]> {
  const log = SqliteLog.openReadOnly(db);
  try {
    const runId = log.latestRunId() as number;
    return twinPodLifecycles([...log.records(runId)].map((r) => ({ atMs: r.atMs, event: decodeRecord(r) })));
  } finally {
    log.close();
  }
}

test("dsb-scaling into a log: the run's nginx-thrift pods follow the trace's 1 → 2 → 4 → 8 → 10", () => {
  const db = join(dir, "dsb.db");
  const r = runKubetwin(["import", "simkube", simkube("dsb-scaling.sktrace"), "-o", db]);
  expect(r.code, r.stderr).toBe(0);
  expect(r.stdout).toContain("Pod lifecycles: the trace records none");
  const scaling = r.stdout.slice(r.stdout.indexOf("Scaling: the recording's replica changes"));
  const rows = scaling.split("\n").filter((l) => l.includes("Deployment dsb/"));
  expect(rows.length).toBe(19);
  expect(rows.some((l) => l.includes("not before the next change"))).toBe(false);
  expect(rows.filter((l) => /Deployment dsb\/nginx-thrift\s/.test(l)).map((l) => l.trim().split(/\s{2,}/)[2])).toEqual(["1 → 2", "2 → 4", "4 → 8", "8 → 10"]);
  const pods = twinPods(db).get("Deployment/dsb/nginx-thrift") ?? [];
  // the trace's scale times (s after its first event) and the replicas asked for then
  const steps = [[0, 1], [556, 2], [797, 4], [812, 8], [827, 10]] as const;
  for (const [i, [atS, replicas]] of steps.entries()) {
    const nextS = steps[i + 1]?.[0] ?? 1134;
    const t = nextS * 1000 - 1;
    const alive = pods.filter((p) => p.createdMs <= t && (p.endMs === undefined || p.endMs > t));
    expect(alive.length, `pods just before ${nextS} s`).toBe(replicas);
    expect(pods.filter((p) => p.createdMs >= atS * 1000 && p.createdMs < atS * 1000 + 1000).length, `pods created within 1 s of ${atS} s`).toBe(i === 0 ? 1 : replicas - (steps[i - 1]?.[1] ?? 0));
  }
  expect(pods.every((p) => p.startMs !== undefined)).toBe(true);
});

test("cronjob into a log: three Jobs' pods, paired with the trace's three, each ran 30 s", () => {
  const db = join(dir, "cron.db");
  const r = runKubetwin(["import", "simkube", simkube("cronjob.sktrace"), "-o", db]);
  expect(r.code, r.stderr).toBe(0);
  const row = r.stdout.split("\n").find((l) => l.includes("CronJob default/hello-simkube") && /\d/.test(l)) ?? "";
  const cells = row.trim().split(/\s{2,}/);
  expect(cells.slice(1, 3)).toEqual(["3", "3"]);
  expect(cells[6]).toBe("30s");
  expect(cells[7]).toMatch(/^30s/);
  const pods = twinPods(db).get("CronJob/default/hello-simkube") ?? [];
  expect(pods.length).toBe(3);
  // minute schedule in phase with the trace: its pods started at 61 s, 121 s, 181 s after the minute
  for (const [i, p] of pods.entries()) expect((p.startMs ?? 0) - (i + 1) * 60_000).toBeGreaterThanOrEqual(0);
  // a run of the stored plan reproduces it
  const again = runKubetwin(["run", "--from-log", db, "--no-db", "--json"]);
  expect(again.code, again.stderr).toBe(0);
});

test("import kwok: objects, changes and nodes of the recording become the scenario", () => {
  const out = join(dir, "kwok.yaml");
  const r = runKubetwin(["import", "kwok", kwok, "-o", out]);
  expect(r.code, r.stderr).toBe(0);
  expect(r.stderr).toContain("import: warning: 40s Deployment shop/web (documents[12]): spec.strategy changed");
  expect(r.stderr).toContain("import: warning: 55s Service shop/web (documents[15]): deleted");
  const text = readFileSync(out, "utf8");
  expect(text).toContain("type: ScaleWorkload\n      at: 10s\n      namespace: shop\n      name: web\n      replicas: 4");
  expect(text).toContain("image: nginx:1.25");
  expect(text).toContain("type: Delete\n      at: 50s\n      kind: Job");
  expect(text).toContain("- name: recorded-0\n        count: 2");
  const run = runKubetwin(["run", out, "--no-db", "--json"]);
  expect(run.code, run.stderr).toBe(0);
  const s = JSON.parse(run.stdout) as { workloads: { key: string; desired: number; ready: number }[] };
  expect(s.workloads.find((w) => w.key === "shop/web")).toMatchObject({ desired: 4, ready: 4 });
});

test("a hostile object name is a warning, escaped on the terminal and in the scenario's header", () => {
  const input = join(dir, "hostile.json");
  const evil = "web\u001b]0;pwned\u0007\nkind: Oops";
  writeFileSync(input, JSON.stringify({ version: 2, config: { trackedObjects: {} }, events: [{ ts: 100, applied_objs: [{ apiVersion: "apps/v1", kind: "Deployment", metadata: { name: evil }, spec: {} }], deleted_objs: [] }], index: {}, pod_lifecycles: {} }));
  const out = join(dir, "hostile.yaml");
  const r = runKubetwin(["import", "simkube", input, "-o", out]);
  expect(r.code, r.stderr).toBe(0);
  expect(r.stderr).toContain("web\\x1b]0;pwned\\x07\\x0akind: Oops");
  expect(r.stderr).not.toContain("\u001b");
  const text = readFileSync(out, "utf8");
  expect(text).not.toContain("\u001b");
  expect(text.split("\n").filter((l) => l.includes("pwned")).every((l) => l.startsWith("# "))).toBe(true);
  expect(runKubetwin(["run", out, "--no-db"]).code).toBe(0);
});

test("import kwok: a gzipped recording (kwokctl writes one for a .gz path) gives the same scenario", () => {
  const gz = join(dir, "web-recording.yaml.gz");
  writeFileSync(gz, gzipSync(readFileSync(kwok)));
  const [plain, packed] = [[kwok, join(dir, "plain.yaml")], [gz, join(dir, "packed.yaml")]].map(([input, out]) => {
    const r = runKubetwin(["import", "kwok", input as string, "-o", out as string]);
    expect(r.code, r.stderr).toBe(0);
    return readFileSync(out as string, "utf8");
  });
  expect(packed?.replaceAll("web-recording.yaml.gz", "web-recording.yaml")).toBe(plain);
  expect(plain).toContain("name: web-recording\n");
});

describe("bad input exits 2, names what is wrong, writes nothing", () => {
  const whole = readFileSync(simkube("cronjob.sktrace"));
  const cases: [string, string[], Buffer | string, RegExp][] = [
    ["a truncated trace", ["simkube"], whole.subarray(0, 900), /not a SimKube trace: truncated: the data ends at byte 900 inside a value/],
    ["a trace of another version", ["simkube"], Buffer.concat([Buffer.from([0x81, 0xa7]), Buffer.from("version"), Buffer.from([0x03])]), /version: expected trace format version 2, got 3/],
    ["not msgpack", ["simkube"], "apiVersion: v1\nkind: Pod\n", /not a SimKube trace: Extra \d+ of \d+ byte\(s\) found at buffer\[1\]/],
    ["an event without its time", ["simkube"], '{"version": 2, "config": {}, "events": [{"applied_objs": [], "deleted_objs": []}], "index": {}, "pod_lifecycles": {}}', /events\[0\]\.ts: expected an integer \(unix seconds\), got nothing/],
    ["a KWOK patch with an unknown method", ["kwok"], "apiVersion: action.kwok.x-k8s.io/v1alpha1\nkind: ResourcePatch\nresource: {version: v1, resource: pods}\ntarget: {name: p}\ndurationNanosecond: 5\nmethod: replace\n", /:6:9: method: expected one of create, patch, delete, got "replace"/],
    ["a KWOK recording that is not YAML", ["kwok"], "kind: [unclosed\n", /invalid YAML/],
  ];
  test.each(cases)("%s", (_name, format, content, message) => {
    const input = join(dir, `bad-${_name.replace(/\W+/g, "-")}`);
    writeFileSync(input, content);
    for (const out of [join(dir, `bad-${_name.replace(/\W+/g, "-")}.yaml`), join(dir, `bad-${_name.replace(/\W+/g, "-")}.db`)]) {
      const r = runKubetwin(["import", ...format, input, "-o", out]);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(stackFrame.test(r.stderr)).toBe(false);
      expect(existsSync(out)).toBe(false);
    }
  });

  test("usage: --help, no format, no -o, an output of another kind", () => {
    const help = runKubetwin(["import", "--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: kubetwin import simkube/);
    expect(runKubetwin(["import", "cassette", simkube("cronjob.sktrace"), "-o", join(dir, "x.yaml")]).stderr).toMatch(/needs a format: simkube or kwok/);
    expect(runKubetwin(["import", "simkube", simkube("cronjob.sktrace")]).code).toBe(2);
    expect(runKubetwin(["import", "simkube", simkube("cronjob.sktrace"), "-o", join(dir, "x.txt")]).stderr).toMatch(/expected a \.yaml\/\.yml file/);
    const recording = join(dir, "own.yaml");
    writeFileSync(recording, readFileSync(kwok));
    const overwrite = runKubetwin(["import", "kwok", recording, "-o", recording]);
    expect([overwrite.code, overwrite.stderr]).toEqual([2, `kubetwin: -o ${recording} would overwrite the input\n`]);
    expect(readFileSync(recording, "utf8")).toBe(readFileSync(kwok, "utf8"));
  });
});
