/**
 * Readiness probe failures: the pure flip times (probes every period from the start, flipping
 * after failureThreshold failures / successThreshold successes), and through the kubelet: the pod
 * leaves Ready and comes back at those times, and the container keeps running (no restart).
 */
import { expect, test } from "vitest";
import type { ClusterEvent } from "../../../src/model/cluster-event.ts";
import type { Pod } from "../../../src/model/objects.ts";
import { MemorySink } from "../../../src/log/memory-sink.ts";
import { defaultProbeTiming, readinessFlips } from "../../../src/sim/kubelet/readiness-probe.ts";
import { runScenario } from "../../../src/sim/run.ts";
import { smallPlan } from "../plan-fixture.ts";

test("defaults: 3 failed probes 10 s apart turn Ready off, the first passing probe turns it on", () => {
  // Failing from 61 s to 125 s: probes at 70, 80, 90 fail → not Ready at 90; 130 passes.
  expect(readinessFlips(61_000, 125_000, defaultProbeTiming)).toEqual({ notReadyMs: 90_000, readyAgainMs: 130_000 });
  // A probe exactly at the window's start fails.
  expect(readinessFlips(60_000, 125_000, defaultProbeTiming)).toEqual({ notReadyMs: 80_000, readyAgainMs: 130_000 });
  // successThreshold 2: two passing probes.
  expect(readinessFlips(60_000, 125_000, { ...defaultProbeTiming, successThreshold: 2 })).toEqual({ notReadyMs: 80_000, readyAgainMs: 140_000 });
});

test("a blip shorter than failureThreshold probes is never noticed", () => {
  expect(readinessFlips(61_000, 90_000, defaultProbeTiming)).toBeUndefined(); // probes at 70, 80 fail; 90 passes
  expect(readinessFlips(61_000, 90_001, defaultProbeTiming)).toEqual({ notReadyMs: 90_000, readyAgainMs: 100_000 });
});

test("through the kubelet: Ready → not Ready → Ready at the probe times, no restart", () => {
  const pod: Pod = {
    kind: "Pod",
    metadata: { name: "p", namespace: "shop", uid: "", labels: { app: "p" }, creationMs: 0 },
    spec: { schedulerName: "default-scheduler", containers: [{ name: "main", image: "app:1", requests: { cpu: 100 }, limits: {} }] },
    status: { phase: "Pending", ready: false },
  };
  const fixed = (ms: number) => ({ minMs: ms, maxMs: ms });
  const plan = {
    ...smallPlan({ nodes: 1, deployments: 0, faults: [], durationMs: 10 * 60_000 }),
    expectations: [],
    workloads: [{ kind: "Pod" as const, object: pod, atMs: 0 }],
    containerBehaviors: [{ name: "flaky", selector: {}, readinessFailure: { afterMs: fixed(61_000), forMs: fixed(64_000), probe: defaultProbeTiming } }],
  };
  const sink = new MemorySink();
  const result = runScenario(plan, { seed: 1, variant: "baseline", sink });
  const log = sink.records.map((r) => ({ atMs: r.atMs, event: JSON.parse(r.payload) as ClusterEvent }));
  const running = log.find((e) => e.event.kind === "PodRunning")!.atMs;
  const ready = log.filter((e) => e.event.kind === "PodReadyChanged").map((e) => [(e.event as { ready: boolean }).ready, e.atMs - running]);
  // Times count from the committed running write; each flip lands 1 ms (the commit) after the kubelet writes it.
  expect(ready).toEqual([[true, 5_001], [false, 90_001], [true, 130_001]]);
  expect(log.filter((e) => e.event.kind === "ContainerExited")).toEqual([]);
  expect(result.state.pods.get("shop/p")?.status.ready).toBe(true);
});
