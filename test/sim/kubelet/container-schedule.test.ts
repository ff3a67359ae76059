/**
 * One container start as the kubelet plays it (container-schedule.ts): the stand-in readiness of a
 * pod without probes, the earliest end winning (exit, OOM, probe kill), a probe's kill taking the
 * pod out of its endpoints when it begins and exiting 137 or 143 by how it ended.
 */
import { describe, expect, test } from "vitest";
import { defaultProbe, type Pod, type Probe } from "../../../src/model/objects.ts";
import { Prng } from "../../../src/model/prng.ts";
import type { ContainerBehaviorPlan } from "../../../src/sim/kubelet/container-behavior.ts";
import { containerActions } from "../../../src/sim/kubelet/container-schedule.ts";

const mib = 2 ** 20;
const fixed = (ms: number) => ({ minMs: ms, maxMs: ms });
const defaults = { readinessDelayMs: 5_000, terminationGraceMs: 30_000 };

function pod(probes: { livenessProbe?: Probe; readinessProbe?: Probe } = {}, memoryLimit?: number): Pod {
  return {
    kind: "Pod",
    metadata: { name: "p", namespace: "default", uid: "", labels: {}, creationMs: 0 },
    spec: { schedulerName: "default-scheduler", containers: [{ name: "main", image: "app:1", requests: {}, limits: memoryLimit === undefined ? {} : { memory: memoryLimit }, ...probes }] },
    status: { phase: "Running", ready: false },
  };
}

const rule = (r: Partial<ContainerBehaviorPlan>): ContainerBehaviorPlan => ({ name: "r", selector: {}, ...r });
const actions = (p: Pod, r?: ContainerBehaviorPlan) => containerActions(p, r, defaults, Prng.fromSeed(1));

describe("container schedule", () => {
  test("no probes, no rule: Ready after readinessDelay, never ends", () => {
    expect(actions(pod())).toEqual([{ atMs: 5_000, kind: "ready" }]);
  });

  test("an exit before readiness leaves the pod never Ready", () => {
    expect(actions(pod(), rule({ readyAfter: fixed(10_000), exit: { afterMs: fixed(3_000), exitCode: 2 } }))).toEqual([{ atMs: 3_000, kind: "exit", exitCode: 2 }]);
  });

  test("a leak's OOM kill comes before a later exit: 137, OOMKilled", () => {
    const r = rule({ exit: { afterMs: fixed(600_000), exitCode: 1 }, memory: { baseBytes: 100 * mib, growthBytesPerMinute: 50 * mib, perRequestPerSecondBytes: 0 } });
    expect(actions(pod({}, 200 * mib), r)).toEqual([
      { atMs: 5_000, kind: "ready" },
      { atMs: 120_001, kind: "exit", exitCode: 137, cause: "OOMKilled" },
    ]);
  });

  test("a liveness kill: not Ready when it begins; SIGKILL at the 30 s grace for an app that ignores SIGTERM (137)", () => {
    const r = rule({ readyAfter: fixed(0), livenessFailure: { afterMs: fixed(60_000) }, stopAfter: fixed(3_600_000) });
    expect(actions(pod({ livenessProbe: defaultProbe, readinessProbe: defaultProbe }), r)).toEqual([
      { atMs: 0, kind: "ready" },
      { atMs: 80_000, kind: "notReady" },
      { atMs: 110_000, kind: "exit", exitCode: 137, cause: "LivenessProbe" },
    ]);
  });

  test("an app that exits during the kill's stop wins with its own exit code", () => {
    const r = rule({ readyAfter: fixed(0), livenessFailure: { afterMs: fixed(60_000) }, stopAfter: fixed(20_000), exit: { afterMs: fixed(90_000), exitCode: 3 } });
    const out = actions(pod({ livenessProbe: defaultProbe }), r);
    expect(out[out.length - 1]).toEqual({ atMs: 90_000, kind: "exit", exitCode: 3 });
    // Ready flips after the kill began are cut, the kill's notReady stays.
    expect(out).toContainEqual({ atMs: 80_000, kind: "notReady" });
  });
});
