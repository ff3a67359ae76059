/**
 * The served twin's workload kinds through the real kubectl: StatefulSets, DaemonSets, Jobs,
 * CronJobs, HorizontalPodAutoscalers and Services of bundled scenarios, listed with upstream's
 * printer columns (pkg/printers/internalversion/printers.go). Each cell is checked against the
 * served state, so a kind missing from discovery, a wrong column or a refused encoding shows.
 */
import { execFile, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { kubeconfigFor, openServedWorld } from "../../src/cli/serve-command.ts";
import { TwinServer } from "../../src/cli/serve-http.ts";
import type { ServedWorld } from "../../src/cli/serve-world.ts";
import { storedObjectsOf } from "../../src/model/stored-objects.ts";

const root = resolve(import.meta.dirname, "../..");
const dir = mkdtempSync(join(tmpdir(), "kubetwin-serve-workloads-"));
const run = promisify(execFile);

interface Served {
  world: ServedWorld;
  server: TwinServer;
  kubeconfig: string;
}
const served = new Map<string, Served>();

async function serve(scenario: string, at: string): Promise<void> {
  const db = join(dir, `${scenario}.db`);
  const made = spawnSync(process.execPath, [join(root, "bin/kubetwin.js"), "run", `scenarios/${scenario}.yaml`, "--db", db, "--seed", "7"], { cwd: root, encoding: "utf8", timeout: 300_000 });
  expect(made.status, made.stderr).toBe(0);
  const { world } = openServedWorld(db, undefined, at);
  const server = new TwinServer(world, { port: 0 });
  await server.start();
  const kubeconfig = join(dir, `${scenario}.kubeconfig`);
  writeFileSync(kubeconfig, kubeconfigFor(server.url));
  served.set(scenario, { world, server, kubeconfig });
}

beforeAll(async () => {
  await serve("batch-jobs", "27m");
  await serve("statefulset-zone-loss", "10m");
  await serve("daemonset-rollout", "5m30s");
  await serve("hpa-spike", "20m");
  await serve("crash-loop-rollout", "18m");
}, 300_000);

afterAll(async () => {
  for (const s of served.values()) await s.server.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function kubectl(scenario: string, ...args: string[]): Promise<[string[], ...string[][]]> {
  const s = served.get(scenario) as Served;
  const r = await run("/usr/bin/kubectl", ["--kubeconfig", s.kubeconfig, "--cache-dir", join(dir, `cache-${scenario}`), ...args], { timeout: 60_000 });
  expect(r.stderr).toBe("");
  const [header = [], ...rows] = r.stdout.trim().split("\n").map((l) => l.trim().split(/\s{2,}/));
  return [header, ...rows];
}

const state = (scenario: string) => (served.get(scenario) as Served).world.state;

describe("kubectl get for the workload kinds of the served twin", () => {
  test("statefulsets (sts): Ready is readyReplicas/replicas", async () => {
    const [header, ...rows] = await kubectl("statefulset-zone-loss", "get", "sts", "-A");
    expect(header).toEqual(["NAMESPACE", "NAME", "READY", "AGE"]);
    const expected = [...storedObjectsOf(state("statefulset-zone-loss"), "StatefulSet").values()].map((s) => [s.metadata.namespace, s.metadata.name, `${s.status.readyReplicas}/${s.spec.replicas}`]);
    expect(expected.length).toBeGreaterThan(0);
    expect(rows.map((r) => r.slice(0, 3))).toEqual(expected);
  });

  test("daemonsets (ds): desired, current, ready, up-to-date, available, node selector", async () => {
    const [header, ...rows] = await kubectl("daemonset-rollout", "get", "ds", "-A", "-o", "wide");
    expect(header.slice(0, 8)).toEqual(["NAMESPACE", "NAME", "DESIRED", "CURRENT", "READY", "UP-TO-DATE", "AVAILABLE", "NODE SELECTOR"]);
    expect(header.slice(9)).toEqual(["CONTAINERS", "IMAGES", "SELECTOR"]);
    const expected = [...storedObjectsOf(state("daemonset-rollout"), "DaemonSet").values()].map((d) => {
      const s = d.status;
      return [d.metadata.namespace, d.metadata.name, ...[s.desiredNumberScheduled, s.currentNumberScheduled, s.numberReady, s.updatedNumberScheduled, s.numberAvailable].map(String)];
    });
    expect(expected.length).toBeGreaterThan(0);
    expect(rows.map((r) => r.slice(0, 7))).toEqual(expected);
    // mid-rollout (the new image at 5m): not every pod is up to date yet
    expect(rows.some((r) => r[5] !== r[2])).toBe(true);
  });

  test("jobs: Status, Completions succeeded/completions, and the generated selector reads back", async () => {
    const [header, ...rows] = await kubectl("batch-jobs", "get", "jobs", "-A", "-o", "wide");
    expect(header.slice(0, 6)).toEqual(["NAMESPACE", "NAME", "STATUS", "COMPLETIONS", "DURATION", "AGE"]);
    const jobs = [...storedObjectsOf(state("batch-jobs"), "Job").values()];
    expect(jobs.length).toBeGreaterThan(2);
    const byName = new Map(rows.map((r) => [r[1], r]));
    for (const job of jobs) {
      const row = byName.get(job.metadata.name) as string[];
      const finished = job.status.conditions.find((c) => (c.type === "Complete" || c.type === "Failed") && c.status === "True");
      expect(row[2]).toBe(finished?.type ?? (job.metadata.deletionMs !== undefined ? "Terminating" : row[2]));
      expect(row[3]).toBe(job.spec.completions !== undefined ? `${job.status.succeeded}/${job.spec.completions}` : row[3]);
      expect(row.at(-1)).toContain(`batch.kubernetes.io/controller-uid=${job.metadata.uid}`);
    }
    expect(rows.some((r) => r[2] === "Complete")).toBe(true);
    expect(rows.some((r) => r[2] === "Failed")).toBe(true);
  });

  test("cronjobs (cj): schedule, suspend, active jobs, last schedule", async () => {
    const [header, ...rows] = await kubectl("batch-jobs", "get", "cj");
    expect(header).toEqual(["NAME", "SCHEDULE", "TIMEZONE", "SUSPEND", "ACTIVE", "LAST SCHEDULE", "AGE"]);
    const expected = [...storedObjectsOf(state("batch-jobs"), "CronJob").values()].map((c) => [c.metadata.name, c.spec.schedule, "<none>", c.spec.suspend ? "True" : "False", String(c.status.active.length)]);
    expect(expected.length).toBeGreaterThan(0);
    expect(rows.map((r) => r.slice(0, 5))).toEqual(expected);
    expect(rows[0]?.[5]).not.toBe("<none>");
  });

  test("hpa: reference, cpu current/target utilization, min/max, replicas", async () => {
    const [header, ...rows] = await kubectl("hpa-spike", "get", "hpa");
    expect(header).toEqual(["NAME", "REFERENCE", "TARGETS", "MINPODS", "MAXPODS", "REPLICAS", "AGE"]);
    const hpas = [...storedObjectsOf(state("hpa-spike"), "HorizontalPodAutoscaler").values()];
    expect(rows.length).toBe(hpas.length);
    for (const [i, hpa] of hpas.entries()) {
      const row = rows[i] as string[];
      expect(row.slice(0, 2)).toEqual([hpa.metadata.name, `${hpa.spec.scaleTargetRef.kind}/${hpa.spec.scaleTargetRef.name}`]);
      expect(row[2]).toMatch(/^cpu: (\d+%|<unknown>)\/\d+%$/);
      expect(row.slice(3, 6)).toEqual([String(hpa.spec.minReplicas), String(hpa.spec.maxReplicas), String(hpa.status.currentReplicas)]);
    }
  });

  test("services (svc): type and ports", async () => {
    const [header, ...rows] = await kubectl("hpa-spike", "get", "svc", "-o", "wide");
    expect(header).toEqual(["NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)", "AGE", "SELECTOR"]);
    const services = [...storedObjectsOf(state("hpa-spike"), "Service").values()];
    expect(rows.map((r) => [r[0], r[1], r[4]])).toEqual(services.map((s) => [s.metadata.name, s.spec.type, s.spec.ports.map((p) => `${p.port}/${p.protocol ?? "TCP"}`).join(",")]));
  });

  test("pods in a crash loop: STATUS CrashLoopBackOff, READY 0/1 and RESTARTS from the containers' statuses (printPod)", async () => {
    const [header, ...rows] = await kubectl("crash-loop-rollout", "get", "pods");
    expect(header.slice(0, 4)).toEqual(["NAME", "READY", "STATUS", "RESTARTS"]);
    const pods = new Map([...state("crash-loop-rollout").pods.values()].map((p) => [p.metadata.name, p]));
    expect(rows.map((r) => r[0]).sort()).toEqual([...pods.keys()].sort());
    for (const row of rows) {
      const pod = pods.get(row[0] as string)!;
      expect(row[3]).toBe(String(pod.status.restartCount ?? 0));
      if (pod.status.waitingReason !== undefined) expect(row.slice(1, 3)).toEqual(["0/1", pod.status.waitingReason]);
      else if (pod.status.phase === "Running" && pod.status.ready) expect(row.slice(1, 3)).toEqual(["1/1", "Running"]);
    }
    expect(rows.some((r) => r[2] === "CrashLoopBackOff" && Number(r[3]) >= 3)).toBe(true);
    expect(rows.filter((r) => r[2] === "Running" && r[1] === "1/1").length).toBeGreaterThanOrEqual(8);
  });

  test("-o json: a crashing container's last termination (exit code, reason) in containerStatuses; status.reason never holds the scheduler's verdict", async () => {
    const world = served.get("crash-loop-rollout") as Served;
    const r = await run("/usr/bin/kubectl", ["--kubeconfig", world.kubeconfig, "--cache-dir", join(dir, "cache-crash"), "get", "pods", "-o", "json"], { timeout: 60_000 });
    const items = (JSON.parse(r.stdout) as { items: { metadata: { name: string }; status: { reason?: string; containerStatuses?: { restartCount: number; lastState?: { terminated?: { exitCode: number; reason?: string } } }[] } }[] }).items;
    const crashing = items.find((p) => (p.status.containerStatuses?.[0]?.restartCount ?? 0) > 0)!;
    expect(crashing.status.containerStatuses?.[0]?.lastState?.terminated).toEqual({ exitCode: 1, reason: "Error" });
    expect(items.every((p) => p.status.reason !== "Unschedulable")).toBe(true);
  });

  test("api-resources lists the workload kinds with upstream's short names", async () => {
    const rows = await kubectl("batch-jobs", "api-resources", "--no-headers");
    const names = new Map(rows.map((r) => [r[0], r]));
    for (const [plural, short] of [["statefulsets", "sts"], ["daemonsets", "ds"], ["cronjobs", "cj"], ["horizontalpodautoscalers", "hpa"], ["services", "svc"]] as const) {
      expect(names.get(plural)?.[1]).toBe(short);
    }
    expect(names.has("jobs")).toBe(true);
  });
});
