/**
 * The bundled slow-start-rollout scenario: a release that warms up for 45-60 s behind a default
 * livenessProbe is killed at every start (CrashLoopBackOff, the rollout stalls); the variant with
 * a startupProbe rolls out in full. The numbers its header states.
 */
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import type { ClusterEvent } from "../../src/model/cluster-event.ts";
import { MemorySink } from "../../src/log/memory-sink.ts";
import { formatScenarioError, loadScenarioFile } from "../../src/scenario/load.ts";
import { runScenario } from "../../src/sim/run.ts";
import { formatSummary } from "../../src/cli/format-summary.ts";
import { canonicalState } from "../../src/model/state.ts";
import { replay } from "../../src/sim/replay.ts";

function run(variant: string, seed?: number) {
  const loaded = loadScenarioFile(join(import.meta.dirname, "../../scenarios/slow-start-rollout.yaml"));
  if (!loaded.ok) throw new Error(formatScenarioError(loaded.error));
  const sink = new MemorySink();
  const result = runScenario(loaded.plan, { seed: seed ?? loaded.plan.seed, variant, sink });
  const log = sink.records.map((r) => ({ atMs: r.atMs, event: JSON.parse(r.payload) as ClusterEvent }));
  return { result, log, sink };
}

const baseline = run("baseline");
const fixed = run("startup-probe");
const api = (s: typeof baseline) => s.result.summary.workloads.find((w) => w.key === "default/api")!;
const exits = (s: typeof baseline) => s.log.flatMap((e) => (e.event.kind === "ContainerExited" ? [e.event] : []));

describe("slow-start-rollout", () => {
  test("every exit is a liveness-probe kill 20 s after the start (probes at 0, 10, 20 s); SIGTERM ends it at once: 143", () => {
    for (const e of baseline.result.summary.expectations) expect(e.passed, e.name).toBe(true);
    const all = exits(baseline);
    expect(all.length).toBe(30);
    for (const e of all) expect(e).toMatchObject({ cause: "LivenessProbe", exitCode: 143, phase: "Running" });
    const starts = new Map<string, number>();
    for (const e of baseline.log) {
      if (e.event.kind === "PodRunning" || e.event.kind === "ContainerRestarted") starts.set(e.event.key, e.atMs);
      // The kill is decided 20 s after the committed start and commits 1 ms later.
      if (e.event.kind === "ContainerExited") expect(e.atMs - (starts.get(e.event.key) as number)).toBe(20_001);
    }
  });

  test("the rollout stalls at maxUnavailable: 5 of 6 Ready, 3 new pods in CrashLoopBackOff at the end, ProgressDeadlineExceeded at 15m01s", () => {
    expect(api(baseline)).toMatchObject({ desired: 6, ready: 5 });
    expect(Math.round(api(baseline).minReadyRatio * 100)).toBe(83);
    expect(baseline.result.summary.crashLoops).toEqual([{ workload: "default/api", exits: 30, restarts: 27, backOffMsMax: 300_000, inCrashLoopBackOffAtEnd: 3, kills: { LivenessProbe: 30 } }]);
    const [rollout] = baseline.result.summary.rollouts ?? [];
    expect(rollout?.progressingAtEnd).toBe("ProgressDeadlineExceeded");
    expect(rollout?.deadlineExceededAtMs.map((ms) => Math.floor(ms / 1000))).toEqual([15 * 60 + 1]);
    expect(formatSummary(baseline.result.summary, { wallMs: 0 })).toContain("exits 30 (killed: liveness probe 30) · restarts 27");
  });

  test("each node pulls the 800Mi image once: 16 s at 50Mi/s; 1.0 was pre-pulled", () => {
    expect(baseline.result.summary.imagePulls).toEqual({ podsWaited: 3, waitMsTotal: 48_000, waitMsMax: 16_000, longestImage: "example/api:2.0", neverPulled: 0 });
    const pulledOn = new Set(baseline.log.flatMap((e) => (e.event.kind === "ContainerWaiting" ? [baseline.result.state.pods.get(e.event.key)?.spec.nodeName] : [])));
    expect(pulledOn.size).toBe(3);
  });

  test("startup-probe: liveness waits, the rollout completes at 7m18s, 6/6 on 2.0, no restart; still 3 pulls", () => {
    for (const e of fixed.result.summary.expectations) expect(e.passed, e.name).toBe(true);
    expect(exits(fixed)).toEqual([]);
    expect(api(fixed)).toMatchObject({ desired: 6, ready: 6 });
    const [rollout] = fixed.result.summary.rollouts ?? [];
    expect(rollout?.progressingAtEnd).toBe("NewReplicaSetAvailable");
    expect(Math.round((rollout?.lastCompletedAtMs ?? 0) / 1000)).toBe(7 * 60 + 18);
    const live = [...fixed.result.state.pods.values()].filter((p) => p.metadata.deletionMs === undefined);
    expect(live.map((p) => p.spec.containers[0]?.image)).toEqual(Array(6).fill("example/api:2.0"));
    expect(fixed.result.summary.imagePulls?.podsWaited).toBe(3);
  });

  test("deterministic: the same seed gives the same fingerprint; the log replays to the run's final state (the new records fold)", () => {
    expect(run("baseline").result.summary.fingerprint).toBe(baseline.result.summary.fingerprint);
    expect(run("baseline", 12).result.summary.fingerprint).not.toBe(baseline.result.summary.fingerprint);
    const endMs = baseline.log[baseline.log.length - 1]!.atMs;
    expect(canonicalState(replay(baseline.sink.records, endMs))).toBe(canonicalState(baseline.result.state));
  });
});
