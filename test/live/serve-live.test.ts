/**
 * `kubetwin serve <scenario.yaml>`: a running simulation served to the real kubectl
 * (/usr/bin/kubectl). Virtual time follows the wall clock × 20, and every check reads the
 * simulation's own state (or kubectl's output) until it holds: no wall-clock assertions.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { stringify } from "yaml";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { loadPlan, resolveRun } from "../../src/cli/load-plan.ts";
import { kubeconfigFor } from "../../src/cli/serve-command.ts";
import { TwinServer } from "../../src/cli/serve-http.ts";
import { LiveClock, LiveTwin } from "../../src/cli/serve-live.ts";
import { LiveWrites } from "../../src/cli/serve-writes.ts";
import { MemorySink } from "../../src/log/memory-sink.ts";
import { SqliteLog } from "../../src/log/sqlite-log.ts";
import { ScenarioRun } from "../../src/sim/run.ts";
import { InvariantError } from "../../src/model/assert.ts";
import { spawn, spawnSync } from "node:child_process";
import { eventually } from "./served-twin.ts";

const root = resolve(import.meta.dirname, "../..");
const scenario = join(root, "test/fixtures/serve/live.yaml");
const manifest = join(root, "test/fixtures/serve/php-apache.yaml"); // kubernetes/website's example, NOTICE
const frontend = join(root, "scenarios/manifests/online-boutique/frontend.yaml");
const dir = mkdtempSync(join(tmpdir(), "kubetwin-serve-live-"));
const run = promisify(execFile);

let twin: LiveTwin;
let clock: LiveClock;
let server: TwinServer;
let kubeconfig: string;

beforeAll(async () => {
  const resolved = resolveRun(loadPlan(scenario), scenario, "baseline");
  twin = new LiveTwin(resolved.plan, resolved.plan.seed, new MemorySink({ keepRecords: false }));
  twin.advanceTo(60_000); // everything running before kubectl arrives
  server = new TwinServer(twin.served, { port: 0, writes: new LiveWrites(twin) });
  await server.start();
  kubeconfig = join(dir, "kubeconfig");
  writeFileSync(kubeconfig, kubeconfigFor(server.url));
  clock = new LiveClock(twin, 20);
  clock.start();
}, 60_000);

afterAll(async () => {
  clock?.stop();
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function kubectl(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const r = await run("/usr/bin/kubectl", ["--kubeconfig", kubeconfig, "--cache-dir", join(dir, "cache"), ...args], { timeout: 90_000 });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: typeof err.code === "number" ? err.code : -1, stdout: err.stdout, stderr: err.stderr };
  }
}

const state = () => twin.sim.api.state;
const runningPods = (prefix: string) => [...state().pods.values()].filter((p) => p.metadata.name.startsWith(prefix) && p.status.phase === "Running" && p.metadata.deletionMs === undefined);

describe("kubectl against a live simulation", () => {
  test("the served state is the simulation's: every pod kubectl lists is one the api server holds", async () => {
    const r = await kubectl("get", "pods", "-o", "name");
    expect(r.code).toBe(0);
    const listed = r.stdout.trim().split("\n").map((l) => l.replace("pod/", "")).sort();
    const held = [...state().pods.values()].map((p) => p.metadata.name).sort();
    expect(listed).toEqual(held);
    expect(held.length).toBe(9);
  });

  test("apply -f a real manifest (Deployment + Service) creates both; the Deployment's pod runs; a second apply patches", async () => {
    const r = await kubectl("apply", "-f", manifest);
    expect(r.stderr).toBe("");
    expect(r.stdout).toContain("deployment.apps/php-apache created");
    expect(r.stdout).toContain("service/php-apache created");
    expect(state().objects.get("Service")?.has("default/php-apache")).toBe(true);
    await eventually("php-apache's pod runs", () => runningPods("php-apache-").length === 1, 30_000);
    const changed = join(dir, "php-apache.yaml");
    writeFileSync(changed, readFileSync(manifest, "utf8").replace("cpu: 200m", "cpu: 300m"));
    const again = await kubectl("apply", "-f", changed);
    expect(again.stdout).toContain("deployment.apps/php-apache configured");
    const d = state().deployments.get("default/php-apache");
    expect(d?.spec.template.spec.containers[0]?.requests.cpu).toBe(300);
    expect(d?.metadata.annotations?.["kubectl.kubernetes.io/last-applied-configuration"]).toContain("300m");
  }, 90_000);

  test("apply of Online Boutique's frontend: fields the twin does not model are warned about, a kind it does not serve is named", async () => {
    const r = await kubectl("apply", "-f", frontend);
    expect(r.stdout).toContain("deployment.apps/frontend created");
    expect(r.stdout).toContain("service/frontend-external created");
    expect(r.stderr).toContain('Warning: the twin does not model field "spec.template.spec.containers[0].env": ignored');
    expect(r.stderr).toContain('no matches for kind "ServiceAccount" in version "v1"');
    expect(r.code).not.toBe(0);
    expect(state().deployments.has("default/frontend")).toBe(true);
  });

  test("scale: the Deployment's replicas change and its pods follow", async () => {
    const r = await kubectl("scale", "deployment/cart", "--replicas=5");
    expect(r.stdout.trim()).toBe("deployment.apps/cart scaled");
    expect(state().deployments.get("default/cart")?.spec.replicas).toBe(5);
    await eventually("five cart pods run", () => runningPods("cart-").length === 5, 30_000);
  }, 60_000);

  test("a change the twin cannot make is refused with 422 naming the field", async () => {
    const r = await kubectl("patch", "deployment/cart", "-p", '{"spec":{"minReadySeconds":7}}');
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain("spec.minReadySeconds");
    expect(state().deployments.get("default/cart")?.spec.minReadySeconds ?? 0).toBe(0);
  });

  test("replace: a whole object read back and PUT with one change makes only that change", async () => {
    const got = await kubectl("get", "deployment/cart", "-o", "json");
    const object = JSON.parse(got.stdout) as { spec: { replicas: number } };
    object.spec.replicas = 4;
    const file = join(dir, "cart.json");
    writeFileSync(file, JSON.stringify(object));
    const templateBefore = JSON.stringify(state().deployments.get("default/cart")?.spec.template);
    const r = await kubectl("replace", "-f", file);
    expect(r.stderr).toBe("");
    expect(r.stdout.trim()).toBe("deployment.apps/cart replaced");
    expect(state().deployments.get("default/cart")?.spec.replicas).toBe(4);
    expect(JSON.stringify(state().deployments.get("default/cart")?.spec.template)).toBe(templateBefore);
  });

  test("kubectl create namespace / deployment / job send protobuf, read into JSON and through the codec (run sends JSON)", async () => {
    expect((await kubectl("create", "namespace", "team-a")).stdout.trim()).toBe("namespace/team-a created");
    expect(state().namespaces.has("team-a")).toBe(true);
    const d = await kubectl("create", "deployment", "web", "--image=example/web:1.27", "--replicas=2", "--port=8080", "-n", "team-a");
    expect(d.stdout.trim()).toBe("deployment.apps/web created");
    const web = state().deployments.get("team-a/web");
    expect(web?.spec.replicas).toBe(2);
    expect(web?.spec.selector.matchLabels).toEqual({ app: "web" });
    expect(web?.spec.template.spec.containers.map((c) => [c.name, c.image, c.ports?.[0]?.containerPort])).toEqual([["web", "example/web:1.27", 8080]]);
    await eventually("web's two pods run", () => [...state().pods.values()].filter((p) => p.metadata.namespace === "team-a" && p.status.phase === "Running").length === 2, 30_000);
    expect((await kubectl("create", "job", "hello", "--image=example/batch:1", "--", "work")).stdout.trim()).toBe("job.batch/hello created");
    expect(state().objects.get("Job")?.has("default/hello")).toBe(true);
    expect((await kubectl("run", "solo", "--image=example/solo:1", "--restart=Never")).stdout.trim()).toBe("pod/solo created");
    expect(state().pods.get("default/solo")?.spec.containers[0]?.image).toBe("example/solo:1");
  }, 60_000);

  test("cordon and uncordon set the node's unschedulable", async () => {
    expect((await kubectl("cordon", "general-2")).stdout.trim()).toBe("node/general-2 cordoned");
    expect(state().nodes.get("general-2")?.spec.unschedulable).toBe(true);
    expect((await kubectl("uncordon", "general-2")).stdout.trim()).toBe("node/general-2 uncordoned");
    expect(state().nodes.get("general-2")?.spec.unschedulable).toBe(false);
  });

  test("drain under a PodDisruptionBudget: evictions refused with 429 are retried until the node is empty", async () => {
    const r = await kubectl("drain", "general-0", "--ignore-daemonsets", "--timeout=80s");
    expect(r.code).toBe(0);
    expect(r.stderr).toContain("Cannot evict pod as it would violate the pod's disruption budget.");
    expect(r.stdout).toContain("node/general-0 drained");
    const left = [...state().pods.values()].filter((p) => p.spec.nodeName === "general-0");
    expect(left).toEqual([]);
    expect(state().nodes.get("general-0")?.spec.unschedulable).toBe(true);
    await eventually("six checkout pods run elsewhere", () => runningPods("checkout-").length === 6, 30_000);
  }, 100_000);
  test("rollout status follows a new image to the end", async () => {
    expect((await kubectl("set", "image", "deployment/checkout", "checkout=example/checkout:3.3")).code).toBe(0);
    const r = await kubectl("rollout", "status", "deployment/checkout", "--timeout=80s");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("out of 6 new replicas have been updated");
    expect(r.stdout.trim().split("\n").at(-1)).toBe('deployment "checkout" successfully rolled out');
    const d = state().deployments.get("default/checkout");
    expect(d?.status.observedGeneration).toBe(d?.metadata.generation);
    expect(d?.status.updatedReplicas).toBe(6);
  }, 100_000);

});

describe("kinds the scenario does not have", () => {
  test("apply a StatefulSet and a DaemonSet (their controllers run in a live world); scale the StatefulSet", async () => {
    const file = join(dir, "sts-ds.yaml");
    const template = (app: string) => ({ metadata: { labels: { app } }, spec: { containers: [{ name: app, image: `example/${app}:1`, resources: { requests: { cpu: "10m" } } }] } });
    const sts = { apiVersion: "apps/v1", kind: "StatefulSet", metadata: { name: "db" }, spec: { serviceName: "db", replicas: 1, selector: { matchLabels: { app: "db" } }, template: template("db") } };
    const ds = { apiVersion: "apps/v1", kind: "DaemonSet", metadata: { name: "agent" }, spec: { selector: { matchLabels: { app: "agent" } }, template: template("agent") } };
    writeFileSync(file, `${stringify(sts)}---\n${stringify(ds)}`);
    const r = await kubectl("apply", "-f", file);
    expect(r.stderr).toBe("");
    expect(r.stdout).toContain("statefulset.apps/db created");
    expect(r.stdout).toContain("daemonset.apps/agent created");
    await eventually("db-0 runs", () => runningPods("db-").length === 1, 30_000);
    expect((await kubectl("scale", "statefulset/db", "--replicas=3")).stdout.trim()).toBe("statefulset.apps/db scaled");
    await eventually("db-0..2 run", () => runningPods("db-").map((p) => p.metadata.name).sort().join() === "db-0,db-1,db-2", 40_000);
    await eventually("one agent per node", () => runningPods("agent-").length === state().nodes.size, 30_000);
  }, 90_000);
});

describe("deletes and the binding subresource", () => {
  test("delete deployment: background propagation, the garbage collector removes its ReplicaSet and pods", async () => {
    const uid = state().deployments.get("default/php-apache")?.metadata.uid;
    expect(uid).toBeDefined();
    const r = await kubectl("delete", "deployment", "php-apache", "--timeout=60s");
    expect(r.stdout.trim()).toBe('deployment.apps "php-apache" deleted');
    expect(state().deployments.has("default/php-apache")).toBe(false);
    await eventually("its ReplicaSet and pod are gone", () => ![...state().replicaSets.keys(), ...state().pods.keys()].some((k) => k.startsWith("default/php-apache-")), 30_000);
  }, 90_000);

  test("POST pods/<name>/binding binds a pod no scheduler takes; a second binding is a conflict", async () => {
    const pod = { apiVersion: "v1", kind: "Pod", metadata: { name: "hand-placed" }, spec: { schedulerName: "my-scheduler", containers: [{ name: "c", image: "example/c:1" }] } };
    const created = await fetch(`${server.url}/api/v1/namespaces/default/pods`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(pod) });
    expect(created.status).toBe(201);
    const binding = { apiVersion: "v1", kind: "Binding", metadata: { name: "hand-placed" }, target: { kind: "Node", name: "general-1" } };
    const post = () => fetch(`${server.url}/api/v1/namespaces/default/pods/hand-placed/binding`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(binding) });
    expect((await post()).status).toBe(201);
    expect(state().pods.get("default/hand-placed")?.spec.nodeName).toBe("general-1");
    const again = await post();
    expect(again.status).toBe(409);
    expect(((await again.json()) as { message: string }).message).toContain("pod already bound");
  });
});

describe("a live world that breaks", () => {
  test("the clock stops at the first failure of the world and hands it on (the command exits 3 on a broken invariant)", async () => {
    const resolved = resolveRun(loadPlan(scenario), scenario, "baseline");
    const broken = new LiveTwin(resolved.plan, 4, new MemorySink({ keepRecords: false }));
    let calls = 0;
    broken.advanceTo = () => {
      calls++;
      throw new InvariantError("a broken invariant");
    };
    const failures: unknown[] = [];
    const clock = new LiveClock(broken, 10, (e) => failures.push(e));
    clock.start(5);
    await eventually("the failure is handed on", () => failures.length > 0);
    expect(broken.clockRunning).toBe(false);
    expect((failures[0] as Error).message).toBe("a broken invariant");
    await new Promise((r) => setTimeout(r, 50)); // ten more ticks' worth, had it gone on
    expect(calls).toBe(1); // stopped: no tick after the failure
  });
});

describe("a paused live world", () => {
  test("a write moves virtual time only as far as its commit", async () => {
    const resolved = resolveRun(loadPlan(scenario), scenario, "baseline");
    const paused = new LiveTwin(resolved.plan, 3, new MemorySink({ keepRecords: false }));
    paused.advanceTo(60_000);
    const pausedServer = new TwinServer(paused.served, { port: 0, writes: new LiveWrites(paused) });
    await pausedServer.start();
    try {
      const patch = await fetch(`${pausedServer.url}/apis/apps/v1/namespaces/default/deployments/cart/scale`, { method: "PATCH", headers: { "content-type": "application/merge-patch+json" }, body: JSON.stringify({ spec: { replicas: 4 } }) });
      expect(patch.status).toBe(200);
      expect(((await patch.json()) as { spec: { replicas: number } }).spec.replicas).toBe(4);
      expect(paused.sim.api.state.deployments.get("default/cart")?.spec.replicas).toBe(4);
      expect(paused.nowMs).toBeGreaterThanOrEqual(60_000);
      expect(paused.nowMs).toBeLessThan(61_000);
    } finally {
      await pausedServer.stop();
    }
  });
});

describe("the live world is the simulation", () => {
  test("without writes, a live twin logs exactly what kubetwin run logs up to the same moment", () => {
    const resolved = resolveRun(loadPlan(scenario), scenario, "baseline");
    const liveSink = new MemorySink();
    const live = new LiveTwin(resolved.plan, 5, liveSink);
    for (let t = 10_000; t <= 300_000; t += 10_000) live.advanceTo(t); // in pieces, as the clock does
    const runSink = new MemorySink();
    const ran = new ScenarioRun(resolved.plan, { seed: 5, variant: "baseline", sink: runSink });
    ran.advance(Number.MAX_SAFE_INTEGER);
    const upTo = (records: readonly { atMs: number }[]) => records.filter((r) => r.atMs <= 300_000);
    expect(liveSink.records.length).toBeGreaterThan(100);
    expect(upTo(liveSink.records)).toEqual(upTo(runSink.records));
    // and the served state folded from those records is the api server's
    expect([...live.served.state.pods.keys()].sort()).toEqual([...live.sim.api.state.pods.keys()].sort());
  }, 60_000);

  test("kubectl top pods and top nodes read the simulation's metrics-server measurements", async () => {
    await eventually("metrics measured", () => (state().objects.get("PodMetrics")?.size ?? 0) > 0, 30_000);
    const pods = await kubectl("top", "pods");
    expect(pods.code).toBe(0);
    const measured = [...(state().objects.get("PodMetrics")?.keys() ?? [])].map((k) => k.split("/")[1]);
    const listed = pods.stdout.trim().split("\n").slice(1).map((l) => l.split(/\s+/)[0]);
    expect(listed.length).toBeGreaterThan(0);
    for (const name of listed) expect(measured).toContain(name);
    const nodes = await kubectl("top", "nodes");
    expect(nodes.code).toBe(0);
    expect(nodes.stdout.trim().split("\n").slice(1).map((l) => l.split(/\s+/)[0]).sort()).toEqual(expect.arrayContaining(["general-1", "general-2"]));
  }, 60_000);

  test("kubetwin serve scenario.yaml --db: stops cleanly on SIGTERM, the run logged and kept as interrupted", async () => {
    const db = join(dir, "served.db");
    const child = spawn(process.execPath, [join(root, "bin/kubetwin.js"), "serve", scenario, "--port", "0", "--speed", "50", "--at", "30s", "--db", db, "--kubeconfig-out", join(dir, "cli.kubeconfig")], { cwd: dir });
    let stdout = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    await eventually("the server says where it listens", () => stdout.includes("Ctrl-C stops"), 30_000);
    expect(stdout).toContain("live from 30s (speed 50)");
    const url = /on (http:\/\/127\.0\.0\.1:\d+)/.exec(stdout)?.[1] as string;
    const nodes = (await (await fetch(`${url}/api/v1/nodes`)).json()) as { items: unknown[] };
    expect(nodes.items.length).toBe(3);
    let running = 0;
    while (running < 9) {
      const pods = (await (await fetch(`${url}/api/v1/pods`)).json()) as { items: { status: { phase: string } }[] };
      running = pods.items.filter((p) => p.status.phase === "Running").length;
      await new Promise((r) => setTimeout(r, 50));
    }
    const code = await new Promise<number | null>((done) => {
      child.on("exit", (c) => done(c));
      child.kill("SIGTERM");
    });
    expect(code).toBe(0);
    expect(stdout).toContain("stopped");
    const log = SqliteLog.open(db, { create: false });
    try {
      const runs = log.runs();
      expect(runs.map((r) => r.status)).toEqual(["interrupted"]);
      expect([...log.records(runs[0]!.id, {})].length).toBeGreaterThan(20);
    } finally {
      log.close();
    }
  }, 60_000);
});

describe("serve's arguments", () => {
  test("a flag of the other mode is bad input (exit 2), named; so is a missing scenario", () => {
    const serve = (...args: string[]) => spawnSync(process.execPath, [join(root, "bin/kubetwin.js"), "serve", ...args], { cwd: dir, encoding: "utf8", timeout: 30_000 });
    const run = serve(scenario, "--run", "1");
    expect([run.status, run.stderr]).toEqual([2, "kubetwin: --run is for serving a logged run (a log file), not a scenario\n"]);
    const seed = serve(join(dir, "some.db"), "--seed", "3");
    expect([seed.status, seed.stderr]).toEqual([2, "kubetwin: --seed is for serving a scenario file, not a logged run\n"]);
    const missing = serve(join(dir, "missing.yaml"));
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain("cannot read scenario file");
  }, 60_000);
});
