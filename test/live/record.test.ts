/**
 * Recording and offline replay end to end: the served twin plays a logged run of scale-out (plus a
 * deletion) as if it were a live cluster; `record` attaches through the real client library and
 * writes what it sees into an event log; `run --from-log` makes a scenario of the recording's
 * exogenous records through the import mapping and runs it offline. The replay's workloads, scale
 * changes and deletion are the served run's, and the twin's pods follow them.
 */
import { spawn, spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { kubeconfigFor } from "../../src/cli/serve-command.ts";
import { servedResources } from "../../src/cli/serve-resources.ts";
import { runRecording } from "../../src/cli/record-command.ts";
import { planOfRecording, recordingServer } from "../../src/cli/recording-run.ts";
import { decodeStoredPlan } from "../../src/cli/stored-plan.ts";
import { connectKubeClient } from "../../src/live/kube-client.ts";
import { LiveCluster } from "../../src/live/live-cluster.ts";
import type { RecordSession } from "../../src/live/record-session.ts";
import { SqliteLog } from "../../src/log/sqlite-log.ts";
import { eventually, serveScenario, type ServedTwin } from "./served-twin.ts";

const root = resolve(import.meta.dirname, "../..");
const stepMs = 15_000;
const endMs = 45 * 60_000;

/** scale-out, with the api Deployment deleted at 40m and no expectations (the deletion breaks one). */
function scaleOutWithDelete(dir: string): string {
  const text = readFileSync(join(root, "scenarios/scale-out.yaml"), "utf8");
  const cut = text.slice(0, text.indexOf("  expectations:"));
  const file = join(dir, "scale-out-delete.yaml");
  writeFileSync(file, `${cut}    - {at: 40m, type: Delete, kind: Deployment, namespace: default, name: api, label: api retired}\n`);
  return file;
}

const kubetwin = (...args: string[]) => spawnSync(process.execPath, [join(root, "bin/kubetwin.js"), ...args], { cwd: root, encoding: "utf8", timeout: 120_000 });

let twin: ServedTwin;
let recordingDb: string;
let recordingRun: number;
let session: RecordSession;
/** Records the whole served run, step by step (the recording is what every test reads). */
beforeAll(async () => {
  twin = await serveScenario(scaleOutWithDelete, "0s");
  recordingDb = join(twin.dir, "recording.db");
  const live = new LiveCluster(connectKubeClient({ file: twin.kubeconfig }));
  await live.start();
  const log = SqliteLog.open(recordingDb, { create: true });
  let stop!: () => void;
  const until = new Promise<void>((r) => (stop = r));
  // the recording's clock is the served world's: each change is stamped with the step it was served in
  const recording = runRecording(live, "twin", log, until, () => twin.world.nowMs, () => {});
  for (let t = stepMs; t <= endMs; t += stepMs) {
    twin.clock.advanceTo(t);
    await eventually(`the adapter caught up at ${t} ms`, () => caughtUp(live));
  }
  stop();
  ({ runId: recordingRun, session } = await recording);
  await live.stop();
  log.close();
}, 300_000);
afterAll(() => twin?.close());

/** Every watched kind's objects in the adapter's stores are the served world's, version for version. */
function caughtUp(live: LiveCluster): boolean {
  for (const [kind, informer] of live.informers) {
    const resource = servedResources.find((r) => r.kind === kind)!;
    const served = twin.world.list(resource);
    if (served.length !== informer.store.size) return false;
    for (const o of served) {
      const key = o.metadata.namespace ? `${o.metadata.namespace}/${o.metadata.name}` : o.metadata.name;
      if (informer.store.get(key)?.metadata.resourceVersion !== o.metadata.resourceVersion) return false;
    }
  }
  return true;
}

describe("kubetwin record against the served twin", () => {
  test("records the served run through the client library, sending only GET requests; the recording is a sealed run the readers accept", () => {
    expect(twin.server.requests.length).toBeGreaterThan(0);
    expect(twin.server.requests.filter((r) => r.method !== "GET")).toEqual([]);
    expect(session.counts.exogenous).toBeGreaterThan(0);
    expect(session.counts.endogenous).toBeGreaterThan(session.counts.exogenous);

    const read = SqliteLog.openReadOnly(recordingDb);
    try {
      const run = read.run(recordingRun)!;
      expect(run.status).toBe("done");
      expect(recordingServer(run)).toBe("twin");
      expect(run.durationMs).toBe(endMs);
      expect(run.eventCount).toBe(session.records);
    } finally {
      read.close();
    }
    const digest = kubetwin("digest", recordingDb);
    expect(digest.stderr).toContain("digest: run 1 (record twin, variant recording");
    expect(digest.status).toBe(0);
  }, 120_000);

  test("run --from-log replays the recording's exogenous stream: the served run's workloads, scale changes and deletion, and the twin's pods follow", () => {
    const served = SqliteLog.openReadOnly(join(twin.dir, "runs.db"));
    const servedRun = served.latestRunId()!;
    const plan = decodeStoredPlan(served.planOf(servedRun)!, "served");
    const servedExogenous = [...served.records(servedRun)].filter((r) => r.exogenous && r.subject.startsWith("deployment/"));
    served.close();

    const log = SqliteLog.openReadOnly(recordingDb);
    const recording = planOfRecording(log, recordingDb, log.run(recordingRun)!, undefined, {});
    log.close();
    // workloads: the served run's, by kind and name, each at the step in which its creation was served
    const grid = (ms: number) => Math.ceil(ms / stepMs) * stepMs;
    const createdAt = new Map(servedExogenous.filter((r) => r.kind === "DeploymentCreated").map((r) => [r.subject, grid(r.atMs)]));
    expect(recording.plan.workloads.map((w) => `${w.kind} ${w.object.metadata.name} at ${w.atMs}`).sort()).toEqual(plan.workloads.map((w) => `${w.kind} ${w.object.metadata.name} at ${createdAt.get(`deployment/default/${w.object.metadata.name}`)}`).sort());
    // faults: the served plan's, in order; each at the step in which its record was served
    const changeTimes = servedExogenous.filter((r) => r.kind === "DeploymentScaled" || r.kind === "DeploymentRemoved").map((r) => grid(r.atMs));
    expect(changeTimes).toHaveLength(plan.faults.length);
    const describe = (f: (typeof plan.faults)[number]) => (f.kind === "ScaleWorkload" ? `scale ${f.name} to ${f.replicas}` : f.kind === "Delete" ? `delete ${f.objectKind} ${f.name}` : f.kind);
    expect(recording.plan.faults.map((f) => `${describe(f)} at ${f.atMs}`)).toEqual(plan.faults.map((f, i) => `${describe(f)} at ${changeTimes[i]}`));
    expect(recording.plan.faults.map(describe)).toEqual(["scale web to 40", "scale web to 4", "delete Deployment api"]);
    // the cluster: the recorded nodes (three, one per zone)
    expect(recording.plan.nodePools.reduce((n, p) => n + p.count, 0)).toBe(3);

    const replayDb = join(twin.dir, "replay.db");
    const r = kubetwin("run", "--from-log", recordingDb, "--db", replayDb, "--no-progress");
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.status).toBe(0);
    console.log(r.stdout.split("\n").filter((l) => l.trim() !== "").slice(-12).join("\n"));
    expect(r.stdout).toMatch(/Pod lifecycles, cluster vs twin/);
    // the twin made as many pods per owner as the recorded cluster did
    const rows = r.stdout.split("\n").filter((l) => /^\s*Deployment default\/(web|api)\s+\d+\s+\d+\s/.test(l)).map((l) => l.trim().split(/\s{2,}/));
    expect(rows.map((c) => c[0])).toEqual(["Deployment default/api", "Deployment default/web"]);
    for (const c of rows) expect(c[2]).toBe(c[1]);
    expect(Number(rows[1]![1])).toBe(40);
  }, 120_000);

  test("run --from-log of a recording under a variant of another scenario (--scenario F --variant V); an unknown variant is exit 2", () => {
    const db = join(twin.dir, "variant.db");
    const r = kubetwin("run", "--from-log", recordingDb, "--scenario", "scenarios/binpack-vs-spread.yaml", "--variant", "binpack", "--db", db, "--no-progress", "--json");
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout).runId).toBe(1); // stdout is the summary alone; the cluster-vs-twin tables go to stderr
    expect(r.stderr).toMatch(/Pod lifecycles, cluster vs twin/);
    const log = SqliteLog.openReadOnly(db);
    try {
      const run = log.run(log.latestRunId()!)!;
      expect([run.scenario, run.variant]).toEqual([`recording-${recordingRun}`, "binpack"]);
      expect(JSON.parse(run.parameters).scheduler.profiles[0].pluginConfig[0].args.scoringStrategy.type).toBe("MostAllocated");
    } finally {
      log.close();
    }
    const unknown = kubetwin("run", "--from-log", recordingDb, "--variant", "binpack", "--no-db");
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/unknown variant "binpack" in recording-\d+ \(known: baseline\)/);
  }, 120_000);

  test("kubetwin record: stops on SIGTERM, the run sealed with what the cluster held (sent only GETs)", async () => {
    const db = join(twin.dir, "cli.db");
    const before = twin.server.requests.length;
    const child = spawn(process.execPath, [join(root, "bin/kubetwin.js"), "record", "--db", db, "--kubeconfig", twin.kubeconfig, "--quiet"], { cwd: root });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((r) => child.on("exit", (code) => r(code)));
    await eventually("recording started", () => stdout.includes("recording "), 60_000);
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
    expect(stderr).toBe("");
    expect(stdout).toMatch(/^recording http:\/\/127\.0\.0\.1:\d+: 3 nodes, \d+ pods; into /);
    expect(stdout).toMatch(/recorded \S+: \d+ events \(\d+ exogenous, \d+ endogenous\)/);
    expect(twin.server.requests.slice(before).filter((r) => r.method !== "GET")).toEqual([]);
    const log = SqliteLog.openReadOnly(db);
    try {
      const run = log.run(log.latestRunId()!)!;
      expect(run.status).toBe("done");
      const records = [...log.records(run.id)];
      expect(run.eventCount).toBe(records.length);
      // what the served world holds now, listed at the start: its 3 nodes and every pod
      expect(records.filter((r) => r.kind === "NodeAdded" && r.atMs === 0)).toHaveLength(3);
      expect(records.filter((r) => r.kind === "PodCreated" && r.atMs === 0)).toHaveLength(twin.world.state.pods.size);
    } finally {
      log.close();
    }
  }, 60_000);

  test("kubetwin shadow --record: a recording run beside the shadow run, in the same log", async () => {
    const db = join(twin.dir, "shadow-record.db");
    const child = spawn(process.execPath, [join(root, "bin/kubetwin.js"), "shadow", "--db", db, "--kubeconfig", twin.kubeconfig, "--for", "1s", "--record", "--quiet"], { cwd: root });
    let stdout = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    expect(await new Promise<number | null>((r) => child.on("exit", (code) => r(code)))).toBe(0);
    expect(stdout).toMatch(/\(recording run 1\)\n$/);
    const log = SqliteLog.openReadOnly(db);
    try {
      const [recording, shadow] = log.runs();
      expect([recording?.status, recording?.variant, shadow?.status]).toEqual(["done", "recording", "shadow"]);
      expect(recordingServer(recording!)).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect([...log.records(recording!.id)].filter((r) => r.kind === "PodCreated")).toHaveLength(twin.world.state.pods.size);
    } finally {
      log.close();
    }
  }, 60_000);

  test("an unreadable kubeconfig, an unreachable server: exit 2 naming it, nothing recorded", () => {
    const missing = kubetwin("record", "--db", join(twin.dir, "none.db"), "--kubeconfig", join(twin.dir, "missing.kubeconfig"));
    expect(missing.status).toBe(2);
    expect(missing.stderr.trim().split("\n")).toEqual([expect.stringMatching(/^kubetwin: cannot read kubeconfig .*missing\.kubeconfig/)]);
    const file = join(twin.dir, "unreachable.kubeconfig");
    writeFileSync(file, kubeconfigFor("http://127.0.0.1:1"));
    const unreachable = kubetwin("record", "--db", join(twin.dir, "none.db"), "--kubeconfig", file);
    expect(unreachable.status).toBe(2);
    expect(unreachable.stderr).toMatch(/^kubetwin: cannot read the Kubernetes API server at http:\/\/127\.0\.0\.1:1: .*ECONNREFUSED/);
    expect(unreachable.stderr).not.toMatch(/\n\s+at /);
    expect(kubetwin("record", "--kubeconfig", file).status).toBe(2); // --db is required
  });
});
