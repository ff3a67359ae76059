/**
 * Init and sidecar containers in a small world: init containers run one at a time before the app
 * (the pod Pending meanwhile), a failing one crash-loops with the pod Pending, restartPolicy Never
 * fails the pod, a sidecar lets the next start once its startup probe passed and keeps running.
 */
import { expect, test } from "vitest";
import type { ClusterEvent } from "../../../src/model/cluster-event.ts";
import type { Container, Pod, RestartPolicy } from "../../../src/model/objects.ts";
import { MemorySink } from "../../../src/log/memory-sink.ts";
import type { ContainerBehaviorPlan } from "../../../src/sim/kubelet/container-behavior.ts";
import { runScenario } from "../../../src/sim/run.ts";
import { decodeEventPayload } from "../../../src/log/event-codec.ts";
import { formatScenarioError, loadScenarioFile } from "../../../src/scenario/load.ts";
import { join } from "node:path";
import { smallPlan } from "../plan-fixture.ts";

const container = (name: string, image: string, extra: Partial<Container> = {}): Container => ({ name, image, requests: { cpu: 100 }, limits: {}, ...extra });

function pod(name: string, initContainers: Container[], restartPolicy?: RestartPolicy): Pod {
  return {
    kind: "Pod",
    metadata: { name, namespace: "shop", uid: "", labels: { app: name }, creationMs: 0 },
    spec: { schedulerName: "default-scheduler", containers: [container("main", "app:1")], initContainers, ...(restartPolicy ? { restartPolicy } : {}) },
    status: { phase: "Pending", ready: false },
  };
}

function run(pods: Pod[], behaviors: ContainerBehaviorPlan[], durationMs = 10 * 60_000) {
  const plan = { ...smallPlan({ nodes: 1, deployments: 0, faults: [], durationMs }), expectations: [], workloads: pods.map((p) => ({ kind: "Pod" as const, object: p, atMs: 0 })), containerBehaviors: behaviors };
  const sink = new MemorySink();
  const result = runScenario(plan, { seed: 1, variant: "baseline", sink });
  const log = sink.records.map((r) => ({ atMs: r.atMs, event: JSON.parse(r.payload) as ClusterEvent }));
  const of = (name: string) => log.filter((e) => "key" in e.event && e.event.key === `shop/${name}`);
  return { result, sink, of, status: (name: string) => result.state.pods.get(`shop/${name}`)?.status };
}

const exits = (image: string, ms: number, exitCode: number): ContainerBehaviorPlan => ({ name: image, selector: {}, image, exit: { afterMs: { minMs: ms, maxMs: ms }, exitCode } });

test("init containers run in order, each after the previous exited 0, and the app starts after the last", () => {
  const r = run([pod("seq", [container("wait", "wait:1"), container("migrate", "migrate:1")])], [exits("wait:1", 20_000, 0), exits("migrate:1", 5_000, 0)]);
  const kinds = r.of("seq").map((e) => e.event.kind).filter((k) => k.startsWith("Init") || k === "PodRunning");
  expect(kinds).toEqual(["InitContainerStarted", "InitContainerExited", "InitContainerStarted", "InitContainerExited", "PodRunning"]);
  const at = (kind: string, i: number) => r.of("seq").filter((e) => e.event.kind === kind)[i]!.atMs;
  // Its 20 s count from the start written, its exit lands one write later.
  expect(at("InitContainerExited", 0) - at("InitContainerStarted", 0)).toBeGreaterThanOrEqual(20_000);
  expect(at("InitContainerExited", 0) - at("InitContainerStarted", 0)).toBeLessThan(20_100);
  expect(at("InitContainerStarted", 1)).toBeGreaterThanOrEqual(at("InitContainerExited", 0));
  expect(at("InitContainerExited", 1) - at("InitContainerStarted", 1)).toBeGreaterThanOrEqual(5_000);
  expect(at("InitContainerExited", 1) - at("InitContainerStarted", 1)).toBeLessThan(5_100);
  expect(at("PodRunning", 0)).toBeGreaterThanOrEqual(at("InitContainerExited", 1));
  expect(r.status("seq")).toMatchObject({ phase: "Running", ready: true, init: { done: 2 } });
});

test("an init container without a rule exits 0 at once: the pod runs", () => {
  const r = run([pod("plain", [container("setup", "setup:1")])], []);
  expect(r.status("plain")).toMatchObject({ phase: "Running", ready: true, init: { done: 1 } });
});

test("a failing init container crash-loops with the pod Pending and the app never started", () => {
  const r = run([pod("loop", [container("wait", "wait:1")])], [exits("wait:1", 1_000, 1)]);
  const s = r.status("loop");
  expect(s).toMatchObject({ phase: "Pending", ready: false, waitingReason: "PodInitializing", init: { done: 0, lastExitCode: 1 } });
  expect(s?.init?.restartCount).toBeGreaterThan(3);
  expect(r.of("loop").some((e) => e.event.kind === "PodRunning")).toBe(false);
  // CrashLoopBackOff: the waits between an exit and the next start grow (10 s doubling).
  const log = r.of("loop");
  const waits = log.filter((e) => e.event.kind === "InitContainerExited").map((e) => (e.event as { backOffMs: number }).backOffMs);
  expect(waits.slice(0, 4)).toEqual([0, 10_000, 20_000, 40_000]);
});

test("under restartPolicy Never a failing init container fails the pod", () => {
  const r = run([pod("never", [container("wait", "wait:1")], "Never")], [exits("wait:1", 1_000, 3)]);
  expect(r.status("never")).toMatchObject({ phase: "Failed", ready: false, init: { done: 0, lastExitCode: 3 } });
  expect(r.of("never").filter((e) => e.event.kind === "InitContainerStarted")).toHaveLength(1);
});

test("a sidecar lets the next start once its startup probe passed, and keeps running beside the app", () => {
  const probe = { initialDelaySeconds: 0, periodSeconds: 5, timeoutSeconds: 1, successThreshold: 1, failureThreshold: 10 };
  const sidecar = container("proxy", "proxy:1", { restartPolicy: "Always", startupProbe: probe });
  const r = run([pod("side", [sidecar, container("setup", "setup:1")])], [{ name: "proxy", selector: {}, image: "proxy:1", readyAfter: { minMs: 12_000, maxMs: 12_000 } }]);
  const log = r.of("side");
  const started = log.filter((e) => e.event.kind === "InitContainerStarted");
  expect(started.map((e) => (e.event as { index: number }).index)).toEqual([0, 1]);
  // The probe ticks every 5 s: the first passing tick after the app answers (12 s) is at 15 s
  // after its start, which comes after the bind (plus the start latency).
  const bound = log.find((e) => e.event.kind === "PodBound")!;
  expect(started[0]!.atMs - bound.atMs).toBeGreaterThanOrEqual(15_000);
  expect(started[0]!.atMs - bound.atMs).toBeLessThan(20_000);
  const running = log.find((e) => e.event.kind === "PodRunning");
  expect(running).toBeDefined();
  expect(r.status("side")).toMatchObject({ phase: "Running", ready: true, init: { done: 2 } });
  expect(log.some((e) => e.event.kind === "InitContainerExited" && (e.event as { index: number }).index === 0)).toBe(false);
});

test("every init record of a run passes the log's codec and decodes to what was written", () => {
  const r = run([pod("loop", [container("wait", "wait:1")]), pod("never", [container("wait", "wait:1")], "Never")], [exits("wait:1", 1_000, 1)], 3 * 60_000);
  const init = r.sink.records.filter((rec) => rec.kind.startsWith("InitContainer"));
  expect(new Set(init.map((rec) => rec.kind))).toEqual(new Set(["InitContainerStarted", "InitContainerExited"]));
  for (const rec of init) {
    const d = decodeEventPayload(rec.kind, rec.payload);
    expect(d).toEqual({ event: JSON.parse(rec.payload) });
  }
  expect(decodeEventPayload("InitContainerExited", JSON.stringify({ kind: "InitContainerExited", key: "a/b", index: 0, exitCode: 1, phase: "Running", backOffMs: 0 }))).toHaveProperty("problem");
});

test("Online Boutique's loadgenerator (a real manifest: an init container waiting for the frontend) loads, initializes and runs", () => {
  const loaded = loadScenarioFile(join(import.meta.dirname, "../../../scenarios/quickstart.yaml"));
  if (!loaded.ok) throw new Error(formatScenarioError(loaded.error));
  const deployment = loaded.plan.workloads.find((w) => w.object.metadata.name === "loadgenerator");
  expect(deployment?.kind === "Deployment" ? deployment.object.spec.template.spec.initContainers?.map((c) => c.name) : undefined).toEqual(["frontend-check"]);
  const sink = new MemorySink();
  const result = runScenario({ ...loaded.plan, durationMs: 5 * 60_000, faults: [], expectations: [] }, { seed: 1, variant: "baseline", sink });
  const pod = [...result.state.pods.values()].find((p) => p.metadata.labels.app === "loadgenerator");
  expect(pod?.status).toMatchObject({ phase: "Running", ready: true, init: { done: 1 } });
  const key = `${pod?.metadata.namespace}/${pod?.metadata.name}`;
  const kinds = sink.records.map((r) => ({ kind: r.kind, event: JSON.parse(r.payload) as { key?: string } })).filter((r) => r.event.key === key).map((r) => r.kind);
  expect(kinds.indexOf("InitContainerExited")).toBeGreaterThan(kinds.indexOf("InitContainerStarted"));
  expect(kinds.indexOf("PodRunning")).toBeGreaterThan(kinds.indexOf("InitContainerExited"));
});

test("an init container's image is pulled before it starts: a Never image missing from the node keeps the pod waiting", () => {
  const r = run([pod("unpulled", [container("wait", "wait:1", { imagePullPolicy: "Never" })])], []);
  expect(r.status("unpulled")).toMatchObject({ phase: "Pending", waitingReason: "ErrImageNeverPull" });
  expect(r.of("unpulled").some((e) => e.event.kind === "InitContainerStarted")).toBe(false);
});
