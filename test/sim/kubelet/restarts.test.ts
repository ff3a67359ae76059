/**
 * The kubelet in a small world: container behaviour from the plan, restart policies (Always,
 * OnFailure, Never) with the pod phase upstream's getPhase gives, CrashLoopBackOff waits as
 * written to the log, restartCount, and readiness that never comes to a container exiting first.
 */
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import type { ClusterEvent } from "../../../src/model/cluster-event.ts";
import type { Pod, RestartPolicy } from "../../../src/model/objects.ts";
import { MemorySink } from "../../../src/log/memory-sink.ts";
import type { ContainerBehaviorPlan } from "../../../src/sim/kubelet/container-behavior.ts";
import { runScenario } from "../../../src/sim/run.ts";
import { smallPlan } from "../plan-fixture.ts";

function pod(name: string, restartPolicy: RestartPolicy | undefined, image = "app:1"): Pod {
  return {
    kind: "Pod",
    metadata: { name, namespace: "shop", uid: "", labels: { app: name }, creationMs: 0 },
    spec: { schedulerName: "default-scheduler", containers: [{ name: "main", image, requests: { cpu: 100 }, limits: {} }], ...(restartPolicy ? { restartPolicy } : {}) },
    status: { phase: "Pending", ready: false },
  };
}

function run(pods: Pod[], behaviors: ContainerBehaviorPlan[], durationMs = 30 * 60_000) {
  const plan = { ...smallPlan({ nodes: 1, deployments: 0, faults: [], durationMs }), expectations: [], workloads: pods.map((p) => ({ kind: "Pod" as const, object: p, atMs: 0 })), containerBehaviors: behaviors };
  const sink = new MemorySink();
  const result = runScenario(plan, { seed: 1, variant: "baseline", sink });
  const log = sink.records.map((r) => ({ atMs: r.atMs, event: JSON.parse(r.payload) as ClusterEvent }));
  return { result, log, status: (name: string) => result.state.pods.get(`shop/${name}`)?.status };
}

const exitsAfter = (ms: number, exitCode: number, selector = {}): ContainerBehaviorPlan => ({ name: "exits", selector, exit: { afterMs: { minMs: ms, maxMs: ms }, exitCode } });

describe("restart policies", () => {
  const r = run(
    [pod("always", undefined), pod("onfailure-ok", "OnFailure"), pod("onfailure-bad", "OnFailure"), pod("never-bad", "Never"), pod("never-ok", "Never")],
    [exitsAfter(30_000, 0, { app: "onfailure-ok" }), exitsAfter(30_000, 0, { app: "never-ok" }), exitsAfter(30_000, 2)],
  );

  test("Always and OnFailure after a failure restart; at the end they wait in CrashLoopBackOff, not Ready", () => {
    for (const name of ["always", "onfailure-bad"]) {
      const s = r.status(name);
      expect(s).toMatchObject({ phase: "Running", ready: false, lastExitCode: 2, waitingReason: "CrashLoopBackOff" });
      expect(s?.restartCount).toBeGreaterThan(5);
    }
  });

  test("a success under OnFailure or Never ends the pod Succeeded, a failure under Never ends it Failed; no restart", () => {
    expect(r.status("onfailure-ok")).toMatchObject({ phase: "Succeeded", ready: false, lastExitCode: 0 });
    expect(r.status("never-ok")).toMatchObject({ phase: "Succeeded", lastExitCode: 0 });
    expect(r.status("never-bad")).toMatchObject({ phase: "Failed", lastExitCode: 2 });
    for (const name of ["onfailure-ok", "never-ok", "never-bad"]) expect(r.status(name)?.restartCount).toBeUndefined();
  });

  test("each container start is Ready after readinessDelay (5 s), and each exit 30 s after the start takes it away", () => {
    for (const name of ["always", "onfailure-ok", "onfailure-bad", "never-bad", "never-ok"]) {
      const key = `shop/${name}`;
      const mine = r.log.filter((e) => "key" in e.event && e.event.key === key);
      const ready = mine.filter((e) => e.event.kind === "PodReadyChanged" && e.event.ready);
      const exits = mine.filter((e) => e.event.kind === "ContainerExited");
      expect(ready.length).toBe((r.status(name)?.restartCount ?? 0) + 1);
      expect(exits.length).toBe(ready.length);
      ready.forEach((e, i) => expect(exits[i]!.atMs - e.atMs).toBe(25_000));
    }
  });
});

test("a container that exits before its readiness delay is never Ready", () => {
  const r = run([pod("fast", undefined)], [{ name: "fast", selector: {}, readyAfter: { minMs: 20_000, maxMs: 20_000 }, exit: { afterMs: { minMs: 19_999, maxMs: 19_999 }, exitCode: 1 } }], 10 * 60_000);
  expect(r.log.filter((e) => e.event.kind === "PodReadyChanged" && e.event.ready)).toEqual([]);
  expect(r.status("fast")?.waitingReason).toBe("CrashLoopBackOff");
});

test("rules match by image: the first matching rule wins, other pods behave as before", () => {
  const r = run([pod("old", undefined, "app:1"), pod("new", undefined, "app:2")], [exitsAfter(1000, 1, {}), exitsAfter(1000, 1)].map((b, i) => (i === 0 ? { ...b, image: "app:2" } : { ...b, image: "app:3" })), 5 * 60_000);
  expect(r.status("old")).toMatchObject({ ready: true });
  expect(r.status("old")?.restartCount).toBeUndefined();
  expect(r.status("new")?.restartCount).toBeGreaterThan(0);
});

test("property: a crash-looping container's waits are 0, 10, 20, 40, 80, 160, 300, 300, … s, each restart exactly its wait after the exit", () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 120_000 }), fc.integer({ min: 1, max: 255 }), (runMs, exitCode) => {
      const r = run([pod("p", undefined)], [exitsAfter(runMs, exitCode)]);
      const events = r.log.filter((e) => e.event.kind === "ContainerExited" || e.event.kind === "ContainerRestarted");
      const exits = events.filter((e) => e.event.kind === "ContainerExited");
      expect(exits.length).toBeGreaterThan(3);
      exits.forEach((e, k) => {
        const ev = e.event as Extract<ClusterEvent, { kind: "ContainerExited" }>;
        expect(ev).toMatchObject({ exitCode, phase: "Running" });
        expect(ev.backOffMs).toBe(k === 0 ? 0 : Math.min(10_000 * 2 ** (k - 1), 300_000));
      });
      for (let i = 0; i + 1 < events.length; i += 2) {
        const [exit, restart] = [events[i]!, events[i + 1]!];
        expect(exit.event.kind).toBe("ContainerExited");
        expect(restart.event.kind).toBe("ContainerRestarted");
        expect(restart.atMs - exit.atMs).toBe((exit.event as Extract<ClusterEvent, { kind: "ContainerExited" }>).backOffMs);
      }
      expect(r.status("p")?.restartCount).toBe(events.filter((e) => e.event.kind === "ContainerRestarted").length);
    }),
    { numRuns: 15 },
  );
});
