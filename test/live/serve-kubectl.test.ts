/**
 * The served twin against clients nobody here wrote: the real kubectl (/usr/bin/kubectl) and
 * @kubernetes/client-node's typed API. What they print is checked against the replayed state the
 * server serves, so a wrong encoding, a missed selector or a broken watch shows up as a difference.
 */
import { execFile, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { AppsV1Api, CoreV1Api, KubeConfig } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { kubeconfigFor, openServedWorld } from "../../src/cli/serve-command.ts";
import { TwinServer } from "../../src/cli/serve-http.ts";
import type { ServedClock, ServedWorld } from "../../src/cli/serve-world.ts";

const root = resolve(import.meta.dirname, "../..");
const dir = mkdtempSync(join(tmpdir(), "kubetwin-serve-"));
const kubectlPath = "/usr/bin/kubectl";
const run = promisify(execFile);

let world: ServedWorld;
let clock: ServedClock;
let server: TwinServer;
let kubeconfig: string;

beforeAll(async () => {
  const db = join(dir, "runs.db");
  const made = spawnSync(process.execPath, [join(root, "bin/kubetwin.js"), "run", "scenarios/quickstart.yaml", "--db", db, "--seed", "42"], { cwd: root, encoding: "utf8", timeout: 300_000 });
  expect(made.status).toBe(0);
  const served = openServedWorld(db, undefined, "25m");
  world = served.world;
  clock = served.clock(0);
  server = new TwinServer(world, { port: 0, bookmarkMs: 200 });
  await server.start();
  kubeconfig = join(dir, "kubeconfig");
  writeFileSync(kubeconfig, kubeconfigFor(server.url));
}, 300_000);

afterAll(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function kubectl(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const r = await run(kubectlPath, ["--kubeconfig", kubeconfig, "--cache-dir", join(dir, "cache"), ...args], { timeout: 60_000 });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: typeof err.code === "number" ? err.code : -1, stdout: err.stdout, stderr: err.stderr };
  }
}

const rows = (text: string) => text.trim().split("\n").slice(1).map((l) => l.trim().split(/\s+/));

describe("kubectl against the served twin", () => {
  test("get nodes -o wide: every node of the replayed state, with its Ready status and cordon", async () => {
    const r = await kubectl("get", "nodes", "-o", "wide");
    expect(r.stderr).toBe("");
    expect(r.stdout.split("\n")[0]).toMatch(/^NAME\s+STATUS\s+ROLES\s+AGE\s+VERSION\s+INTERNAL-IP/);
    const expected = [...world.state.nodes.values()].map((n) => [n.metadata.name, n.status.ready === "True" ? "Ready" : "NotReady"]).sort();
    expect(rows(r.stdout).map((c) => [c[0], (c[1] as string).split(",")[0]]).sort()).toEqual(expected);
    expect(expected.some(([, s]) => s === "NotReady")).toBe(true); // at 25m one node is down
  });

  test("get pods -A -o wide: every pod, in its namespace, on its node", async () => {
    const r = await kubectl("get", "pods", "-A", "-o", "wide");
    expect(r.code).toBe(0);
    const got = rows(r.stdout).map((c) => `${c[0]}/${c[1]} ${c[7]}`).sort();
    const expected = [...world.state.pods.values()].map((p) => `${p.metadata.namespace}/${p.metadata.name} ${p.spec.nodeName ?? "<none>"}`).sort();
    expect(got).toEqual(expected);
    expect(got.length).toBeGreaterThan(10);
  });

  test("-o json gives exactly the codec's objects", async () => {
    const r = await kubectl("get", "deployments", "-A", "-o", "json");
    const items = (JSON.parse(r.stdout) as { items: { metadata: { name: string; resourceVersion: string }; spec: { replicas: number } }[] }).items;
    const expected = [...world.state.deployments.values()];
    expect(items.map((d) => d.metadata.name).sort()).toEqual(expected.map((d) => d.metadata.name).sort());
    for (const d of expected) {
      const item = items.find((i) => i.metadata.name === d.metadata.name)!;
      expect(item.spec.replicas).toBe(d.spec.replicas);
      expect(item.metadata.resourceVersion).toBe(String(d.metadata.resourceVersion));
    }
  });

  test("label and field selectors select what the API server would", async () => {
    const byLabel = await kubectl("get", "pods", "-l", "app in (frontend,adservice)", "-o", "name");
    const expected = [...world.state.pods.values()].filter((p) => ["frontend", "adservice"].includes(p.metadata.labels["app"] ?? "")).map((p) => `pod/${p.metadata.name}`).sort();
    expect(byLabel.stdout.trim().split("\n").sort()).toEqual(expected);
    const node = "general-0";
    const byField = await kubectl("get", "pods", "-A", "--field-selector", `spec.nodeName=${node}`, "-o", "name");
    expect(byField.stdout.trim().split("\n").sort()).toEqual([...world.state.pods.values()].filter((p) => p.spec.nodeName === node).map((p) => `pod/${p.metadata.name}`).sort());
    const bad = await kubectl("get", "pods", "--field-selector", "spec.image=x");
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/field label not supported: spec.image/);
  });

  test("describe node: taints, lease, capacity and its non-terminated pods", async () => {
    const down = [...world.state.nodes.values()].find((n) => n.status.ready !== "True")!;
    const r = await kubectl("describe", "node", down.metadata.name);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^Name:\\s+${down.metadata.name}$`, "m"));
    expect(r.stdout).toMatch(/node\.kubernetes\.io\/unreachable:NoExecute/);
    expect(r.stdout).toMatch(new RegExp(`HolderIdentity:\\s+${down.metadata.name}`));
    expect(r.stdout).not.toMatch(/Failed to get lease/);
    const running = [...world.state.pods.values()].filter((p) => p.spec.nodeName === down.metadata.name && p.status.phase !== "Failed" && p.status.phase !== "Succeeded");
    expect(r.stdout).toMatch(new RegExp(`Non-terminated Pods:\\s+\\(${running.length} in total\\)`));
  });

  test("a missing object is NotFound and a write is refused, each with exit 1", async () => {
    const missing = await kubectl("get", "pod", "nope");
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/NotFound.*pods "nope" not found/);
    const write = await kubectl("delete", "pod", [...world.state.pods.values()][0]!.metadata.name);
    expect(write.code).toBe(1);
    expect(write.stderr).toMatch(/read-only/);
  });

  test("get pods -w hears the run's later records as the served world moves on", async () => {
    const watching = kubectl("get", "pods", "-A", "-w", "--output-watch-events", "--request-timeout", "4s");
    await new Promise((r) => setTimeout(r, 1500));
    const before = new Set(world.state.pods.keys());
    clock.advanceTo(30 * 60_000);
    const created = [...world.state.pods.keys()].filter((k) => !before.has(k));
    expect(created.length).toBeGreaterThan(0);
    const r = await watching;
    for (const key of created) expect(r.stdout).toMatch(new RegExp(`^ADDED\\s+${key.split("/")[0]}\\s+${key.split("/")[1]}\\s`, "m"));
  }, 30_000);
});

describe("@kubernetes/client-node's typed API against the served twin", () => {
  test("lists nodes and deployments and reads a node, as the client deserializes them", async () => {
    const config = new KubeConfig();
    config.loadFromString(kubeconfigFor(server.url));
    const core = config.makeApiClient(CoreV1Api);
    const apps = config.makeApiClient(AppsV1Api);
    const nodes = await core.listNode();
    expect(nodes.items.map((n) => n.metadata?.name).sort()).toEqual([...world.state.nodes.keys()].sort());
    expect(Number(nodes.metadata?.resourceVersion)).toBe(world.revision);
    const deployments = await apps.listDeploymentForAllNamespaces({ labelSelector: "" });
    expect(deployments.items.length).toBe(world.state.deployments.size);
    const name = [...world.state.nodes.keys()][0]!;
    const node = await core.readNode({ name });
    expect(node.status?.allocatable?.["cpu"]).toBe("1930m");
    expect(node.metadata?.creationTimestamp).toBeInstanceOf(Date);
  });
});
